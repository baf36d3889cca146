// The phrases the keyless rules look for, per language (en, es, fr, de, pt), written folded: lower
// case, accents removed, "’" as "'" (see foldToken). Each entry is a sequence of whole words.

/** Before a name whatever its case: "call me sam" is as clear as "call me Sam". */
export const NAME_PHRASES: readonly string[] = [
  "call me", "my name is", "my name's", "you can call me", "please call me", "i go by",
  "me llamo", "mi nombre es", "llamame", "puedes llamarme", "me puedes llamar", "me dicen",
  "je m'appelle", "m'appelle", "appelle-moi", "appelez-moi", "mon nom est", "mon prenom est", "moi c'est",
  "ich heisse", "nenn mich", "nennen sie mich", "mein name ist", "mein vorname ist",
  "meu nome e", "me chamo", "pode me chamar de", "me chama de", "podes me chamar de",
];

/**
 * Before a name only when the next word is capitalized and no common word: "I'm Sam" names Sam,
 * "I'm interested", "I'm in Berlin", "soy de Madrid", "je suis très intéressé" name nobody. They
 * also count only at the start of a sentence or after a greeting ("Hi, I'm Sam").
 */
export const WEAK_NAME_PHRASES: readonly string[] = ["i'm", "i am", "this is", "soy", "je suis", "sou"];
// Not "ich bin" nor "im": German capitalizes nouns ("ich bin Lehrerin", "im Moment"), so a capital says nothing there.

/** Words after a weak name phrase that are never a name (checked folded). */
export const NOT_A_NAME: ReadonlySet<string> = new Set([
  // en
  "interested", "looking", "from", "in", "at", "here", "not", "so", "very", "really", "sure", "ready", "back", "good", "fine",
  "ok", "okay", "new", "a", "an", "the", "just", "still", "also", "happy", "glad", "sorry", "busy", "available", "curious",
  "wondering", "thinking", "trying", "going", "writing", "asking", "calling", "based", "living", "on", "with", "your", "the",
  "definitely", "actually", "currently", "interesting", "excited", "free", "done", "well", "great", "planning",
  // "I'm Brazilian", "This is Amazing": capitalized, and still nobody's name
  "brazilian", "spanish", "german", "french", "british", "english", "american", "italian", "portuguese", "mexican",
  "canadian", "argentinian", "colombian", "dutch", "irish", "indian", "chinese", "japanese", "australian", "european",
  "amazing", "awesome", "beautiful", "perfect", "lovely", "cool", "nice", "gorgeous", "incredible", "stunning", "wonderful",
  "vegan", "vegetarian", "married", "single", "pregnant", "retired", "student", "interested", "obsessed", "confused",
  "brasileiro", "brasileira", "espanol", "espanola", "mexicano", "mexicana", "argentino", "argentina", "francais", "francaise",
  // after "call me": when, not who
  "when", "later", "tomorrow", "now", "if", "please", "asap", "maybe", "today", "tonight", "anytime", "again", "soon", "whenever",
  "manana", "luego", "despues", "demain", "apres", "morgen", "spater", "amanha", "depois", "ahora", "maintenant", "jetzt", "agora",
  // es
  "de", "en", "muy", "interesado", "interesada", "buscando", "aqui", "yo", "un", "una", "el", "la", "cliente", "nuevo", "nueva",
  // fr
  "pas", "tres", "interesse", "interessee", "a", "la", "ici", "de", "du", "en", "un", "une", "client", "cliente", "desole", "desolee",
  // de
  "interessiert", "hier", "aus", "nicht", "da", "in", "ein", "eine", "gerade", "auch", "noch", "kunde", "kundin", "neu",
  // pt
  "em", "interessado", "interessada", "procurando", "do", "da", "um", "uma", "cliente", "novo", "nova", "muito",
]);

/** Words a weak name phrase may follow ("Hi, I'm Sam"). */
export const GREETINGS: ReadonlySet<string> = new Set([
  "hi", "hello", "hey", "hola", "buenas", "bonjour", "salut", "coucou", "hallo", "moin", "servus", "oi", "ola", "bom", "dia", "tarde",
]);

/** Before a place: "I'm in Berlin", "vivo en Madrid", "j'habite à Paris", "ich wohne in München", "moro em Lisboa". */
export const LOCATION_PHRASES: readonly string[] = [
  "i'm in", "i am in", "im in", "i live in", "i'm based in", "i am based in", "based in", "i'm from", "i am from", "we are in", "we're in",
  "vivo en", "estoy en", "soy de", "somos de", "estamos en",
  "je suis a", "j'habite a", "je vis a", "je suis de", "nous sommes a", "j'habite en",
  "ich wohne in", "ich lebe in", "ich bin in", "ich komme aus", "wir sind in", "ich bin aus",
  "moro em", "estou em", "sou de", "vivo em", "moro no", "moro na",
];

/** Before what the lead wants: "interested in rings", "busco un anillo", "je cherche une bague". */
export const INTEREST_PHRASES: readonly string[] = [
  "interested in", "looking for", "i'm looking for", "i want to buy", "i'd like to buy",
  "interesado en", "interesada en", "me interesa", "me interesan", "busco", "estoy buscando",
  "interesse par", "interessee par", "interesse pour", "je cherche", "je recherche",
  "interessiert an", "interesse an", "ich suche", "suche nach",
  "interessado em", "interessada em", "tenho interesse em", "procuro", "estou procurando",
];

/** Words before an interest phrase that turn it around ("not interested in", "no me interesa"). */
export const NEGATIONS: ReadonlySet<string> = new Set(["not", "no", "never", "nicht", "kein", "keine", "pas", "nao", "nunca", "ne"]);

/** Where an interest's words end: the end of a clause. */
export const CLAUSE_BREAKS: ReadonlySet<string> = new Set([
  "but", "because", "pero", "porque", "mais", "parce", "aber", "weil", "denn", "mas", "porque", "pois",
]);

/** Objections in their shared words, each with the lead's phrasings (normalized: apostrophes split words, as normalizeForMatching does). */
export const OBJECTION_PHRASES: ReadonlyArray<{ value: string; phrases: readonly string[] }> = [
  {
    value: "too expensive",
    phrases: [
      "too expensive", "too pricey", "can t afford", "cannot afford", "too much money", "out of my budget",
      "muy caro", "demasiado caro", "muy cara", "demasiado cara", "no me alcanza",
      "trop cher", "trop chere", "pas les moyens",
      "zu teuer", "ziemlich teuer", "kann ich mir nicht leisten",
      "muito caro", "muito cara", "caro demais", "nao tenho dinheiro",
    ],
  },
  {
    value: "not now",
    phrases: [
      "not now", "not right now", "maybe later", "not at the moment", "another time",
      "ahora no", "mas adelante", "en otro momento", "ahora mismo no",
      "pas maintenant", "plus tard", "pas pour le moment",
      "nicht jetzt", "spater", "im moment nicht", "gerade nicht",
      "agora nao", "mais tarde", "outra hora", "agora nao posso",
    ],
  },
  {
    value: "needs to think about it",
    phrases: [
      "need to think", "let me think", "think about it", "have to think", "i ll think",
      "lo pensare", "tengo que pensarlo", "dejame pensarlo", "lo voy a pensar", "necesito pensarlo",
      "je vais reflechir", "je dois reflechir", "laissez moi reflechir", "je vais y reflechir",
      "muss uberlegen", "ich uberlege", "muss daruber nachdenken", "ich denke daruber nach",
      "vou pensar", "preciso pensar", "deixa eu pensar", "vou pensar nisso",
    ],
  },
];

/** Before a budget's price: "my budget is $200", "under 100€", "hasta 50 euros", "bis zu 80 €". */
export const BUDGET_PHRASES: readonly string[] = [
  "budget", "under", "less than", "below", "up to", "max", "maximum", "no more than",
  "presupuesto", "menos de", "hasta", "como maximo", "maximo",
  "moins de", "jusqu'a", "pas plus de",
  "unter", "bis zu", "hochstens", "maximal",
  "orcamento", "ate", "no maximo",
];

/** Cities the rules know, with their zone; a place not listed gives no fact (a wrong zone would move quiet hours). Keys folded. */
export const CITY_ZONES: ReadonlyMap<string, { name: string; zone: string }> = new Map(
  (
    [
      [["berlin"], "Berlin", "Europe/Berlin"],
      [["munich", "munchen"], "Munich", "Europe/Berlin"],
      [["hamburg"], "Hamburg", "Europe/Berlin"],
      [["cologne", "koln"], "Cologne", "Europe/Berlin"],
      [["frankfurt"], "Frankfurt", "Europe/Berlin"],
      [["vienna", "wien"], "Vienna", "Europe/Vienna"],
      [["zurich"], "Zurich", "Europe/Zurich"],
      [["madrid"], "Madrid", "Europe/Madrid"],
      [["barcelona"], "Barcelona", "Europe/Madrid"],
      [["valencia"], "Valencia", "Europe/Madrid"],
      [["sevilla", "seville"], "Seville", "Europe/Madrid"],
      [["paris"], "Paris", "Europe/Paris"],
      [["lyon"], "Lyon", "Europe/Paris"],
      [["marseille"], "Marseille", "Europe/Paris"],
      [["brussels", "bruxelles"], "Brussels", "Europe/Brussels"],
      [["amsterdam"], "Amsterdam", "Europe/Amsterdam"],
      [["london", "londres"], "London", "Europe/London"],
      [["manchester"], "Manchester", "Europe/London"],
      [["dublin"], "Dublin", "Europe/Dublin"],
      [["lisbon", "lisboa"], "Lisbon", "Europe/Lisbon"],
      [["porto"], "Porto", "Europe/Lisbon"],
      [["rome", "roma"], "Rome", "Europe/Rome"],
      [["milan", "milano"], "Milan", "Europe/Rome"],
      [["new york", "nyc", "nueva york"], "New York", "America/New_York"],
      [["miami"], "Miami", "America/New_York"],
      [["boston"], "Boston", "America/New_York"],
      [["chicago"], "Chicago", "America/Chicago"],
      [["austin"], "Austin", "America/Chicago"],
      [["denver"], "Denver", "America/Denver"],
      [["los angeles"], "Los Angeles", "America/Los_Angeles"],
      [["san francisco"], "San Francisco", "America/Los_Angeles"],
      [["seattle"], "Seattle", "America/Los_Angeles"],
      [["toronto"], "Toronto", "America/Toronto"],
      [["mexico city", "ciudad de mexico", "cdmx"], "Mexico City", "America/Mexico_City"],
      [["bogota"], "Bogotá", "America/Bogota"],
      [["lima"], "Lima", "America/Lima"],
      [["santiago"], "Santiago", "America/Santiago"],
      [["buenos aires"], "Buenos Aires", "America/Argentina/Buenos_Aires"],
      [["sao paulo"], "São Paulo", "America/Sao_Paulo"],
      [["rio de janeiro", "rio"], "Rio de Janeiro", "America/Sao_Paulo"],
      [["dubai"], "Dubai", "Asia/Dubai"],
      [["singapore"], "Singapore", "Asia/Singapore"],
      [["tokyo"], "Tokyo", "Asia/Tokyo"],
      [["sydney"], "Sydney", "Australia/Sydney"],
    ] as const
  ).flatMap(([keys, name, zone]) => keys.map((key) => [key, { name, zone }] as const)),
);

/** The most words a city name in CITY_ZONES has. */
export const CITY_MAX_WORDS = 3;
