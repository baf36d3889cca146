import { formatBytes, type KnowledgeLimits } from "../knowledge/knowledge-labels.ts";
import { FormField, TextField } from "./form-field.tsx";
import { KnowledgeAddForm, type KnowledgeFieldErrors } from "./knowledge-add-form.tsx";

const count = new Intl.NumberFormat("en");

/** One question and its answer: the quickest thing to add, and what leads ask most. */
export function KnowledgeFaqForm({ limits }: { limits: KnowledgeLimits }) {
  return (
    <KnowledgeAddForm
      intent="add-faq"
      title="Add a question and answer"
      description="A question your customers ask, and the answer you would give."
      submitLabel="Add question"
      pendingLabel="Adding…"
    >
      {(errors) => (
        <>
          <TextField
            id="faq-question"
            name="question"
            label="Question"
            placeholder="Are you open on Sundays?"
            maxLength={limits.questionMaxChars}
            autoComplete="off"
            required
            error={errors.question}
          />
          <FormField id="faq-answer" label="Answer" hint={`Up to ${count.format(limits.answerMaxChars)} characters.`} error={errors.answer}>
            {(control) => <textarea {...control} name="answer" rows={3} required />}
          </FormField>
        </>
      )}
    </KnowledgeAddForm>
  );
}

/** Any text the owner has at hand: a price list, opening hours, policies. */
export function KnowledgeTextForm({ limits }: { limits: KnowledgeLimits }) {
  return (
    <KnowledgeAddForm
      intent="add-text"
      title="Paste text"
      description="Price lists, opening hours, delivery and return policies: headings are kept, so a passage knows its section."
      submitLabel="Add text"
      pendingLabel="Adding…"
    >
      {(errors) => (
        <>
          <TextField id="text-title" name="title" label="Title" maxLength={limits.titleMaxChars} autoComplete="off" required error={errors.title} />
          <FormField id="text-text" label="Text" hint={`Up to ${count.format(limits.textMaxChars)} characters.`} error={errors.text}>
            {(control) => <textarea {...control} name="text" rows={6} required />}
          </FormField>
        </>
      )}
    </KnowledgeAddForm>
  );
}

/** A document file; the browser refuses one over the limit before uploading it. */
export function KnowledgeFileForm({ limits }: { limits: KnowledgeLimits }) {
  const types = limits.fileExtensions.join(", ");
  const precheck = (form: HTMLFormElement): KnowledgeFieldErrors | null => {
    const input = form.elements.namedItem("file");
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (!file) return { file: "Choose a file to upload." };
    if (file.size > limits.fileMaxBytes) return { file: `That file is larger than ${formatBytes(limits.fileMaxBytes)}, the most a file can be: split it, or save it without images.` };
    return null;
  };
  return (
    <KnowledgeAddForm
      intent="add-file"
      title="Upload a file"
      description="The text is read from the file; images and scanned pages without text are not."
      submitLabel="Upload file"
      pendingLabel="Uploading…"
      multipart
      precheck={precheck}
    >
      {(errors) => (
        <FormField id="file-file" label="File" hint={`${types}; up to ${formatBytes(limits.fileMaxBytes)}.`} error={errors.file}>
          {(control) => <input {...control} name="file" type="file" accept={limits.fileExtensions.join(",")} required />}
        </FormField>
      )}
    </KnowledgeAddForm>
  );
}

/** A website: its pages on the same site are read (robots.txt respected, a page cap). */
export function KnowledgeUrlForm({ limits }: { limits: KnowledgeLimits }) {
  return (
    <KnowledgeAddForm
      intent="add-url"
      title="Add a website"
      description={`This page and the pages it links to on the same site are read, up to ${limits.crawlMaxPages} pages, skipping what the site's robots.txt asks crawlers not to read.`}
      submitLabel="Add website"
      pendingLabel="Adding…"
    >
      {(errors) => (
        <TextField
          id="url-url"
          name="url"
          label="Website address"
          type="url"
          inputMode="url"
          placeholder="https://example.com/faq"
          autoComplete="url"
          required
          error={errors.url}
        />
      )}
    </KnowledgeAddForm>
  );
}
