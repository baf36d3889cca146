// A parser that never answers (a PDF that makes pdf.js loop): the pool's budget must end it.
export default function neverFinishes(): Promise<never> {
  return new Promise(() => {});
}
