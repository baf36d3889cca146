import { describe, expect, it } from "vitest";
import { extractFactsByRules, findPhoneNumbers, type ExtractedFact } from "../../src/facts/extract-facts.ts";

const valueOf = (text: string, kind: ExtractedFact["kind"]) =>
  extractFactsByRules(text).filter((fact) => fact.kind === kind).map((fact) => fact.value);

describe("extractFactsByRules: email and phone", () => {
  it("finds the address the lead writes, lower-cased", () => {
    expect(valueOf("my email is Sam@Shop.example", "email")).toEqual(["sam@shop.example"]);
    expect(valueOf("mi correo es ana.lopez@correo.es, gracias", "email")).toEqual(["ana.lopez@correo.es"]);
    expect(valueOf("écrivez-moi à marie@boutique.fr.", "email")).toEqual(["marie@boutique.fr"]);
  });

  it("finds international numbers in E.164 and ignores national ones, dates and prices", () => {
    expect(valueOf("WhatsApp me: +49 151 2345 6789", "phone")).toEqual(["+4915123456789"]);
    expect(valueOf("meu número é 0055 11 91234-5678", "phone")).toEqual(["+5511912345678"]);
    expect(valueOf("mi número: +34 612 34 56 78.", "phone")).toEqual(["+34612345678"]);
    expect(valueOf("call 0151 23456789 tomorrow", "phone")).toEqual([]);
    expect(valueOf("order 2026-12-01 for $1,500.00", "phone")).toEqual([]);
    expect(findPhoneNumbers("+49 12 is too short, +49151abc is a code, but +1 (212) 456-7890 is a number")).toEqual(["+12124567890"]);
  });
});

describe("extractFactsByRules: preferred name", () => {
  const names: [string, string][] = [
    ["Call me Sam", "Sam"],
    ["you can call me sam please", "Sam"],
    ["Hi, I'm Sam! Do you ship to Spain?", "Sam"],
    ["I am Priya, I saw your post", "Priya"],
    ["My name is Jordan Lee", "Jordan"],
    ["hola, me llamo lucía", "Lucía"],
    ["Hola! Soy Mateo y quería preguntar", "Mateo"],
    ["Bonjour, je m'appelle Chloé", "Chloé"],
    ["appelez-moi Julien", "Julien"],
    ["Salut ! Moi c’est Julie", "Julie"],
    ["todos me dicen Pepe", "Pepe"],
    ["I go by Alex at work", "Alex"],
    ["Hallo, ich heiße Jürgen", "Jürgen"],
    ["ich heisse anna", "Anna"],
    ["Olá, meu nome é João", "João"],
    ["oi, me chamo Beatriz", "Beatriz"],
    ["pode me chamar de Bia", "Bia"],
  ];
  it.each(names)("%s -> %s", (text, name) => {
    expect(valueOf(text, "preferred_name")).toEqual([name]);
  });

  const noName = [
    "I'm interested in the rings",
    "I'm Interested in the rings",
    "I'm in Berlin next week",
    "I'm not sure yet",
    "I am looking for a gift",
    "call me when you can",
    "Call me tomorrow",
    "soy de Madrid",
    "Soy muy fan de la marca",
    "je suis très intéressée",
    "Ich bin Lehrerin und suche einen Kurs",
    "Im Moment nicht, danke",
    "sou de Lisboa",
    "and I'm Happy with it",
    "I'm JD",
    "this is the best shop",
    "I'm Brazilian, do you ship there?",
    "This is Amazing!!",
    "Sou Brasileira",
  ];
  it.each(noName)("no name in %j", (text) => {
    expect(valueOf(text, "preferred_name")).toEqual([]);
  });
});

describe("extractFactsByRules: location and time zone", () => {
  const places: [string, string, string][] = [
    ["I'm in Berlin", "Berlin", "Europe/Berlin"],
    ["we're based in New York", "New York", "America/New_York"],
    ["vivo en Ciudad de México", "Mexico City", "America/Mexico_City"],
    ["soy de Buenos Aires", "Buenos Aires", "America/Argentina/Buenos_Aires"],
    ["j'habite à Lyon", "Lyon", "Europe/Paris"],
    ["ich wohne in München", "Munich", "Europe/Berlin"],
    ["moro em São Paulo", "São Paulo", "America/Sao_Paulo"],
  ];
  it.each(places)("%s -> %s (%s)", (text, city, zone) => {
    const facts = extractFactsByRules(text);
    expect(facts.filter((fact) => fact.kind === "location" || fact.kind === "timezone")).toEqual([
      { kind: "location", value: city },
      { kind: "timezone", value: zone },
    ]);
  });

  it("gives no place for unknown places or other uses of the words", () => {
    expect(valueOf("I'm in love with this", "location")).toEqual([]);
    expect(valueOf("I live in a small village", "timezone")).toEqual([]);
    expect(valueOf("je suis à la maison", "location")).toEqual([]);
  });
});

describe("extractFactsByRules: interests, objections, budget", () => {
  it("keeps what follows 'interested in' / 'looking for' up to the end of the clause", () => {
    expect(valueOf("Hi! I'm interested in the gold hoop earrings, do you ship?", "interest")).toEqual(["the gold hoop earrings"]);
    expect(valueOf("estoy buscando un anillo de plata pero no sé la talla", "interest")).toEqual(["un anillo de plata"]);
    expect(valueOf("je cherche une bague. Merci", "interest")).toEqual(["une bague"]);
    expect(valueOf("ich suche einen Yogakurs", "interest")).toEqual(["einen Yogakurs"]);
    expect(valueOf("tenho interesse em aulas online", "interest")).toEqual(["aulas online"]);
    expect(valueOf("looking for rings. Also interested in necklaces", "interest")).toEqual(["rings", "necklaces"]);
  });

  it("reads no interest into a negation or a bare pronoun", () => {
    expect(valueOf("I'm not interested in that", "interest")).toEqual([]);
    expect(valueOf("looking for it", "interest")).toEqual([]);
    expect(valueOf("I was looking for you!", "interest")).toEqual([]);
    expect(valueOf("looking forward to it", "interest")).toEqual([]);
  });

  const objections: [string, string][] = [
    ["hmm that's too expensive for me", "too expensive"],
    ["es muy caro", "too expensive"],
    ["c'est trop cher", "too expensive"],
    ["leider zu teuer", "too expensive"],
    ["achei muito caro", "too expensive"],
    ["not now, maybe next month", "not now"],
    ["ahora no puedo", "not now"],
    ["pas maintenant", "not now"],
    ["nicht jetzt bitte", "not now"],
    ["agora não", "not now"],
    ["I need to think about it", "needs to think about it"],
    ["lo pensaré", "needs to think about it"],
    ["je vais réfléchir", "needs to think about it"],
    ["ich muss darüber nachdenken", "needs to think about it"],
    ["vou pensar", "needs to think about it"],
  ];
  it.each(objections)("%s -> %s", (text, objection) => {
    expect(valueOf(text, "objection")).toEqual([objection]);
  });

  it("finds no objection in a plain question", () => {
    expect(valueOf("how much is it now?", "objection")).toEqual([]);
  });

  const budgets: [string, string][] = [
    ["my budget is $200", "$200"],
    ["anything under 100€?", "100€"],
    ["mi presupuesto es de 300 euros", "300 euros"],
    ["moins de 50 €", "50 €"],
    ["bis zu 80 EUR", "80 EUR"],
    ["meu orçamento é R$ 500", "R$ 500"],
  ];
  it.each(budgets)("%s -> %s", (text, budget) => {
    expect(valueOf(text, "budget")).toEqual([budget]);
  });

  it("takes no budget from a price without a budget word", () => {
    expect(valueOf("I paid $50 last time", "budget")).toEqual([]);
  });
});

describe("extractFactsByRules: language", () => {
  it("guesses the language of a sentence, not of a word or two", () => {
    expect(valueOf("hola, quiero saber cuánto cuesta el anillo", "language")).toEqual(["es"]);
    expect(valueOf("bonjour, je voudrais le prix de la bague", "language")).toEqual(["fr"]);
    expect(valueOf("ok thanks", "language")).toEqual([]);
  });
});

describe("extractFactsByRules: one message, several facts", () => {
  it("reads a whole introduction", () => {
    expect(extractFactsByRules("Hi, I'm Sam. I'm in London and I'm looking for a yoga mat, my email is sam@shop.example")).toEqual([
      { kind: "email", value: "sam@shop.example" },
      { kind: "preferred_name", value: "Sam" },
      { kind: "location", value: "London" },
      { kind: "timezone", value: "Europe/London" },
      { kind: "interest", value: "a yoga mat" },
      { kind: "language", value: "en" },
    ]);
  });
});
