// Worker-thread entry (piscina loads its default export): an uploaded file parsed here can take
// its thread's time and heap, never the job worker's event loop. Loaded by Node itself, so it and
// what it imports stay plain-Node TypeScript (type stripping), as email/mailgun-form-worker.ts.
import { extractKnowledgeFile } from "./extract-file.ts";

export default extractKnowledgeFile;
