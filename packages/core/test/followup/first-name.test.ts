import { describe, expect, it } from "vitest";
import { firstNameOf } from "../../src/followup/first-name.ts";
import { guessLanguage } from "../../src/followup/language.ts";

describe("firstNameOf", () => {
  it("takes the first word of the profile name and fixes its case", () => {
    expect(firstNameOf({ name: "maria garcia" })).toBe("Maria");
    expect(firstNameOf({ name: "JOHN" })).toBe("John");
    expect(firstNameOf({ name: "jean-luc picard" })).toBe("Jean-Luc");
    expect(firstNameOf({ name: "José Álvarez" })).toBe("José");
    expect(firstNameOf({ name: "McKenzie Rae" })).toBe("McKenzie");
  });

  it("prefers the name the lead asked to be called", () => {
    expect(firstNameOf({ preferredName: "Mari", name: "Maria Garcia" })).toBe("Mari");
  });

  it("ignores emojis and titles around the name", () => {
    expect(firstNameOf({ name: "🌸 Ana 🌸" })).toBe("Ana");
    expect(firstNameOf({ name: "Dr. Sofia Rossi" })).toBe("Sofia");
    expect(firstNameOf({ name: "👋🏽Lucas" })).toBe("Lucas");
    expect(firstNameOf({ name: "Mr. Smith" })).toBeNull();
  });

  it("gives null for handles, emoji-only names, initials and role words", () => {
    expect(firstNameOf({ name: "@j.doe_99" })).toBeNull();
    expect(firstNameOf({ name: "j.doe_99" })).toBeNull();
    expect(firstNameOf({ name: "🌸🌸" })).toBeNull();
    expect(firstNameOf({ name: "J" })).toBeNull();
    expect(firstNameOf({ name: "JD Power" })).toBeNull();
    expect(firstNameOf({ name: "Bo Berg" })).toBe("Bo");
    expect(firstNameOf({ name: "Info Store" })).toBeNull();
    expect(firstNameOf({ name: "   " })).toBeNull();
    expect(firstNameOf({})).toBeNull();
  });

  it("reads first.last email addresses and is unsure about the rest", () => {
    expect(firstNameOf({ email: "maria.lopez@example.com" })).toBe("Maria");
    expect(firstNameOf({ email: "john_smith@example.com" })).toBe("John");
    expect(firstNameOf({ email: "mlopez@example.com" })).toBeNull();
    expect(firstNameOf({ email: "info.sales@example.com" })).toBeNull();
    expect(firstNameOf({ email: "jd.2024@example.com" })).toBeNull();
  });

  it("falls through an unusable profile name to the email", () => {
    expect(firstNameOf({ name: "@maria_fit", email: "maria.lopez@example.com" })).toBe("Maria");
  });
});

describe("guessLanguage", () => {
  it("recognizes a sentence in each supported language", () => {
    expect(guessLanguage("Hi! How much is the course, and what do I get with it?")).toBe("en");
    expect(guessLanguage("Hola, ¿cuánto cuesta el curso? Gracias")).toBe("es");
    expect(guessLanguage("Olá, quanto custa o curso? Obrigado")).toBe("pt");
    expect(guessLanguage("Bonjour, combien coûte le cours ? Merci")).toBe("fr");
    expect(guessLanguage("Hallo, wie viel kostet der Kurs? Danke")).toBe("de");
    expect(guessLanguage("Ciao, quanto costa il corso? Grazie")).toBe("it");
    expect(guessLanguage("Hoi, hoeveel kost de cursus? Bedankt")).toBe("nl");
  });

  it("is unsure about empty, numeric or emoji-only text", () => {
    expect(guessLanguage("")).toBeNull();
    expect(guessLanguage("123 456")).toBeNull();
    expect(guessLanguage("🔥🔥")).toBeNull();
  });
});
