// Worker-thread entry (piscina loads its default export): a Mailgun form decoded and its MIME parsed
// here cost the web server's event loop nothing. Loaded by Node itself, in development and in
// production alike, so it and what it imports must stay plain-Node TypeScript (type stripping).
import { decodeMailgunForm } from "./mailgun-form-job.ts";

export default decodeMailgunForm;
