import { Document, HeadingLevel, ImageRun, Packer, Paragraph } from "docx";
import { zipSync } from "fflate";
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from "pdf-lib";

// Small knowledge files built at test time with the libraries real producers use (pdf-lib writes
// PDFs with standard fonts, docx writes Word's own heading styles), so the parsers are tested on
// files shaped like the ones owners upload, without binary fixtures in the repository.

export interface FixtureSection {
  heading: string;
  paragraphs: string[];
}

/** A PDF: each section's heading at 20 pt, its paragraphs at 11 pt, one page per section. */
export async function buildPdf(sections: readonly FixtureSection[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const section of sections) {
    const page = pdf.addPage([595, 842]);
    let y = 780;
    page.drawText(section.heading, { x: 50, y, size: 20, font });
    y -= 36;
    for (const paragraph of section.paragraphs) {
      page.drawText(paragraph, { x: 50, y, size: 11, font });
      y -= 24;
    }
  }
  return pdf.save();
}

/** A PDF whose pages hold no text (as a scan does): only a drawn rectangle. */
export async function buildPdfWithoutText(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 200, height: 100 });
  return pdf.save();
}

/** A DOCX with Word's Heading 1 / Heading 2 styles; `image`: a picture of that many bytes opens it. */
export async function buildDocx(sections: readonly (FixtureSection & { level?: 1 | 2 })[], options: { image?: Uint8Array } = {}): Promise<Uint8Array> {
  const picture = options.image
    ? [new Paragraph({ children: [new ImageRun({ type: "png", data: options.image, transformation: { width: 400, height: 300 } })] })]
    : [];
  const document = new Document({
    sections: [
      {
        children: [
          ...picture,
          ...sections.flatMap((section) => [
            new Paragraph({ text: section.heading, heading: section.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_1 }),
            ...section.paragraphs.map((text) => new Paragraph({ text })),
          ]),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/**
 * A tiny zip named like a DOCX's body whose directory declares `unpackedBytes` unpacked, as a zip
 * bomb's does (building a real one takes seconds of compression; the check reads the directory).
 */
export function buildZipBomb(unpackedBytes: number): Uint8Array {
  const zip = zipSync({ "word/document.xml": new Uint8Array(16) }, { level: 0 });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = 0; at + 4 <= zip.byteLength; at += 1) {
    // Central directory file header (PK\x01\x02): the uncompressed size is at offset 24.
    if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, unpackedBytes, true);
  }
  return zip;
}

/**
 * A PDF under the standard security handler whose user password is not empty (its /O and /U
 * entries match no empty password): readers ask for a password, as for any protected PDF.
 */
export async function buildPasswordProtectedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]);
  const { context } = pdf;
  const encrypt = context.obj({ Filter: "Standard", V: 1, R: 2, Length: 40, P: -44 });
  encrypt.set(PDFName.of("O"), PDFHexString.of("7a".repeat(32)));
  encrypt.set(PDFName.of("U"), PDFHexString.of("3c".repeat(32)));
  context.trailerInfo.Encrypt = context.register(encrypt);
  context.trailerInfo.ID = context.obj([PDFHexString.of("0123456789abcdef0123456789abcdef"), PDFHexString.of("0123456789abcdef0123456789abcdef")]);
  return pdf.save({ useObjectStreams: false });
}
