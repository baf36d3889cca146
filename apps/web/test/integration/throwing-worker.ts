// A worker-thread module standing in for a parser that throws on one email, every time.
export default function throwsEveryTime(): never {
  throw new TypeError("parser bug");
}
