// A worker-thread module standing in for an email whose parse never ends, every time.
export default function neverFinishes(): Promise<never> {
  return new Promise(() => {});
}
