import { stripQuotedHistory } from "@audnix/core";
import { htmlText } from "../../src/email/html-text.ts";
import type { TextFunction } from "../../../core/test/support/text-functions.ts";

// The text functions of the email integration, driven like core's TEXT_FUNCTIONS: an HTML body
// as Mailgun hands it over, alone and through the quote stripper it feeds.
export const EMAIL_TEXT_FUNCTIONS: TextFunction[] = [
  { name: "htmlText", run: (html) => htmlText(html) },
  { name: "stripQuotedHistory(htmlText)", run: (html) => stripQuotedHistory(htmlText(html)) },
];
