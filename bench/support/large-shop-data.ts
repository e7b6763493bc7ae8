/**
 * Word lists and small generators for the large benchmark shop: names from several languages
 * (German umlauts, Cyrillic, Polish, Turkish, French, Nordic, Czech, Spanish, English) so that
 * searches like "müller" and "жуков" find what a real European shop would hold, e-mails
 * transliterated the way people really spell them, and a coffee roaster's catalogue.
 * Deterministic: everything draws from one seeded generator.
 */

/** mulberry32: small, fast and good enough for test data; the same seed gives the same shop. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}

/** Picks from a list where earlier entries are more common (Zipf-like), as surnames are. */
export class SkewedPicker<T> {
  private readonly cumulative: number[];

  constructor(
    private readonly items: readonly T[],
    exponent = 0.9,
  ) {
    let sum = 0;
    this.cumulative = items.map((_, rank) => (sum += 1 / Math.pow(rank + 1, exponent)));
  }

  pick(random: Random): T {
    const target = random.next() * this.cumulative.at(-1)!;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return this.items[low]!;
  }
}

type Place = { postalCode: string; city: string; countryCode: string };

export type NamePool = {
  key: string;
  weight: number;
  language: string;
  female: readonly string[];
  male: readonly string[];
  /** Surnames, most common first; [male, female] where the language inflects them. */
  surnames: SkewedPicker<string | readonly [string, string]>;
  emailDomains: readonly string[];
  places: readonly Place[];
  streets: readonly string[];
  salutation?: { female: string; male: string };
  phonePrefix: string;
};

const GERMAN_PLACES: Place[] = [
  { postalCode: "10115", city: "Berlin", countryCode: "DE" },
  { postalCode: "20095", city: "Hamburg", countryCode: "DE" },
  { postalCode: "80331", city: "München", countryCode: "DE" },
  { postalCode: "50667", city: "Köln", countryCode: "DE" },
  { postalCode: "40213", city: "Düsseldorf", countryCode: "DE" },
  { postalCode: "90402", city: "Nürnberg", countryCode: "DE" },
  { postalCode: "23552", city: "Lübeck", countryCode: "DE" },
  { postalCode: "97070", city: "Würzburg", countryCode: "DE" },
  { postalCode: "37073", city: "Göttingen", countryCode: "DE" },
  { postalCode: "04109", city: "Leipzig", countryCode: "DE" },
  { postalCode: "01067", city: "Dresden", countryCode: "DE" },
  { postalCode: "70173", city: "Stuttgart", countryCode: "DE" },
  { postalCode: "1010", city: "Wien", countryCode: "AT" },
  { postalCode: "8010", city: "Graz", countryCode: "AT" },
  { postalCode: "8001", city: "Zürich", countryCode: "CH" },
  { postalCode: "3011", city: "Bern", countryCode: "CH" },
];

const GERMAN_STREETS = [
  "Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Gartenweg", "Lindenallee", "Mühlenweg",
  "Am Brückentor", "Kirchplatz", "Rosenstraße", "Bergstraße", "Schloßallee", "Ringstraße", "Wiesenweg",
];

export const NAME_POOLS: readonly NamePool[] = [
  {
    key: "de",
    weight: 44,
    language: "de",
    female: ["Anna", "Lena", "Käthe", "Sophie", "Hannah", "Marie", "Lea", "Katrin", "Jördis", "Sabine", "Ursula", "Brigitte", "Mia", "Jana", "Christiane", "Franziska"],
    male: ["Jürgen", "Jörg", "Björn", "Günther", "Sören", "Maximilian", "Lukas", "Felix", "Paul", "Jonas", "Tobias", "Klaus", "Uwe", "Stefan", "Matthias", "Rüdiger"],
    surnames: new SkewedPicker([
      "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch",
      "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
      "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Köhler", "Jäger", "Krämer", "Böhm", "Weiß", "Groß", "König",
      "Möller", "Vogel", "Günther", "Frank", "Baumgärtner", "Meyer-Hansen", "Schütz", "Förster", "Bäcker", "Öztürk-Weiß",
    ]),
    emailDomains: ["gmx.de", "web.de", "t-online.de", "posteo.de", "gmail.com", "outlook.de", "freenet.de", "mailbox.org", "gmx.at", "bluewin.ch"],
    places: GERMAN_PLACES,
    streets: GERMAN_STREETS,
    salutation: { female: "Frau", male: "Herr" },
    phonePrefix: "+49 1",
  },
  {
    key: "ru",
    weight: 9,
    language: "ru",
    female: ["Ольга", "Наталья", "Елена", "Татьяна", "Ирина", "Анна", "Юлия", "Светлана", "Мария", "Екатерина"],
    male: ["Александр", "Дмитрий", "Сергей", "Андрей", "Михаил", "Алексей", "Владимир", "Никита", "Иван", "Павел"],
    surnames: new SkewedPicker(
      [
        ["Иванов", "Иванова"], ["Смирнов", "Смирнова"], ["Кузнецов", "Кузнецова"], ["Попов", "Попова"], ["Соколов", "Соколова"],
        ["Лебедев", "Лебедева"], ["Козлов", "Козлова"], ["Новиков", "Новикова"], ["Морозов", "Морозова"], ["Петров", "Петрова"],
        ["Волков", "Волкова"], ["Соловьёв", "Соловьёва"], ["Жуков", "Жукова"], ["Васильев", "Васильева"], ["Зайцев", "Зайцева"],
        ["Павлов", "Павлова"], ["Семёнов", "Семёнова"], ["Голубев", "Голубева"], ["Виноградов", "Виноградова"], ["Богданов", "Богданова"],
        ["Шевченко", "Шевченко"], ["Бондаренко", "Бондаренко"],
      ] as const,
      0.6,
    ),
    emailDomains: ["yandex.ru", "mail.ru", "gmail.com", "gmx.de", "inbox.lv", "ukr.net"],
    places: [...GERMAN_PLACES.slice(0, 6), { postalCode: "LV-1050", city: "Rīga", countryCode: "LV" }, { postalCode: "10111", city: "Tallinn", countryCode: "EE" }],
    streets: [...GERMAN_STREETS, "Brīvības iela", "Narva mnt"],
    phonePrefix: "+49 15",
  },
  {
    key: "pl",
    weight: 7,
    language: "pl",
    female: ["Małgorzata", "Agnieszka", "Zofia", "Katarzyna", "Joanna", "Magdalena", "Ewa"],
    male: ["Łukasz", "Wojciech", "Paweł", "Michał", "Krzysztof", "Piotr", "Grzegorz"],
    surnames: new SkewedPicker(
      [
        "Nowak", ["Kowalski", "Kowalska"], ["Wiśniewski", "Wiśniewska"], "Wójcik", "Kowalczyk", ["Kamiński", "Kamińska"],
        ["Lewandowski", "Lewandowska"], ["Zieliński", "Zielińska"], ["Szymański", "Szymańska"], ["Dąbrowski", "Dąbrowska"], "Woźniak", "Mazur",
      ] as const,
    ),
    emailDomains: ["wp.pl", "onet.pl", "gmail.com", "o2.pl", "interia.pl", "gmx.de"],
    places: [
      { postalCode: "00-001", city: "Warszawa", countryCode: "PL" },
      { postalCode: "30-001", city: "Kraków", countryCode: "PL" },
      { postalCode: "80-001", city: "Gdańsk", countryCode: "PL" },
      ...GERMAN_PLACES.slice(0, 4),
    ],
    streets: ["ul. Długa", "ul. Świętokrzyska", "ul. Marszałkowska", "ul. Piękna", ...GERMAN_STREETS.slice(0, 4)],
    phonePrefix: "+48 5",
  },
  {
    key: "tr",
    weight: 7,
    language: "tr",
    female: ["Ayşe", "Elif", "Zeynep", "Özlem", "Çağla", "Fatma", "Emine"],
    male: ["Mehmet", "Emre", "Murat", "Gökhan", "Mustafa", "Ahmet", "Ömer"],
    surnames: new SkewedPicker(["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç"]),
    emailDomains: ["gmail.com", "hotmail.com", "gmx.de", "web.de", "yahoo.com.tr"],
    places: GERMAN_PLACES.slice(0, 12),
    streets: GERMAN_STREETS,
    phonePrefix: "+49 17",
  },
  {
    key: "fr",
    weight: 8,
    language: "fr",
    female: ["Léa", "Chloé", "Hélène", "Amélie", "Zoé", "Camille", "Élodie", "Inès"],
    male: ["François", "Jérôme", "Benoît", "Mathéo", "Stéphane", "Noël", "Loïc", "Raphaël"],
    surnames: new SkewedPicker(["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard", "Rousseau", "Mercier", "Fontaine", "Chevalier", "Lemaître", "Bérenger"]),
    emailDomains: ["orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "bluewin.ch"],
    places: [
      { postalCode: "75001", city: "Paris", countryCode: "FR" },
      { postalCode: "69001", city: "Lyon", countryCode: "FR" },
      { postalCode: "67000", city: "Strasbourg", countryCode: "FR" },
      { postalCode: "1000", city: "Bruxelles", countryCode: "BE" },
      { postalCode: "1201", city: "Genève", countryCode: "CH" },
    ],
    streets: ["rue de la Paix", "avenue Victor-Hugo", "rue des Écoles", "boulevard Saint-Michel", "place de l’Église"],
    phonePrefix: "+33 6",
  },
  {
    key: "en",
    weight: 12,
    language: "en",
    female: ["Emily", "Charlotte", "Amelia", "Olivia", "Sophie", "Grace", "Chloe", "Siobhán"],
    male: ["Oliver", "James", "Harry", "Jack", "Thomas", "George", "William", "Seán"],
    surnames: new SkewedPicker(["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Miller", "Evans", "O'Brien", "Murphy", "Walker", "Wright"]),
    emailDomains: ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.com", "btinternet.com"],
    places: [
      { postalCode: "SW1A 1AA", city: "London", countryCode: "GB" },
      { postalCode: "M1 1AE", city: "Manchester", countryCode: "GB" },
      { postalCode: "D02 X285", city: "Dublin", countryCode: "IE" },
      { postalCode: "10001", city: "New York", countryCode: "US" },
    ],
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue"],
    phonePrefix: "+44 7",
  },
  {
    key: "nordic",
    weight: 5,
    language: "da",
    female: ["Åsa", "Ingrid", "Sigrid", "Mette", "Astrid", "Solveig"],
    male: ["Søren", "Bjørn", "Lars", "Jørgen", "Anders", "Øyvind"],
    surnames: new SkewedPicker(["Nielsen", "Jensen", "Hansen", "Johansson", "Lindqvist", "Kjær", "Ødegård", "Ångström", "Sørensen", "Bækgaard"]),
    emailDomains: ["gmail.com", "outlook.dk", "telia.se", "online.no", "hotmail.com"],
    places: [
      { postalCode: "1050", city: "København", countryCode: "DK" },
      { postalCode: "8000", city: "Aarhus", countryCode: "DK" },
      { postalCode: "111 20", city: "Stockholm", countryCode: "SE" },
      { postalCode: "0150", city: "Oslo", countryCode: "NO" },
    ],
    streets: ["Strøget", "Nørrebrogade", "Drottninggatan", "Karl Johans gate", "Østergade"],
    phonePrefix: "+45 2",
  },
  {
    key: "cs",
    weight: 4,
    language: "cs",
    female: ["Petra", "Lucie", "Tereza", "Kateřina", "Jana"],
    male: ["Jiří", "Tomáš", "Ondřej", "Lukáš", "Vojtěch"],
    surnames: new SkewedPicker([["Novák", "Nováková"], ["Svoboda", "Svobodová"], ["Dvořák", "Dvořáková"], ["Černý", "Černá"], ["Procházka", "Procházková"], ["Kučera", "Kučerová"]] as const),
    emailDomains: ["seznam.cz", "email.cz", "gmail.com", "centrum.cz"],
    places: [
      { postalCode: "110 00", city: "Praha", countryCode: "CZ" },
      { postalCode: "602 00", city: "Brno", countryCode: "CZ" },
    ],
    streets: ["Václavské náměstí", "Národní", "Vinohradská", "Štěpánská"],
    phonePrefix: "+420 6",
  },
  {
    key: "es",
    weight: 4,
    language: "es",
    female: ["María", "Lucía", "Inés", "Sofía", "Begoña"],
    male: ["José", "Íñigo", "Ángel", "Jesús", "Martín"],
    surnames: new SkewedPicker(["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Núñez", "Peña", "Muñoz", "Ibáñez"]),
    emailDomains: ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"],
    places: [
      { postalCode: "28001", city: "Madrid", countryCode: "ES" },
      { postalCode: "08001", city: "Barcelona", countryCode: "ES" },
      { postalCode: "41001", city: "Sevilla", countryCode: "ES" },
    ],
    streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Paseo de Gracia"],
    phonePrefix: "+34 6",
  },
];

const POOL_PICKER = (() => {
  const cumulative: number[] = [];
  let sum = 0;
  for (const pool of NAME_POOLS) cumulative.push((sum += pool.weight));
  return (random: Random) => {
    const target = random.next() * sum;
    return NAME_POOLS[cumulative.findIndex((edge) => target < edge)]!;
  };
})();

export function pickNamePool(random: Random): NamePool {
  return POOL_PICKER(random);
}

const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m", н: "n",
  о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "",
  э: "e", ю: "yu", я: "ya",
};

/** The ASCII spelling people use in their e-mail addresses: "Müller" → "mueller", "Жуков" → "zhukov". */
export function transliterate(value: string): string {
  return value
    .toLowerCase()
    .replace(/[а-яё]/g, (letter) => CYRILLIC[letter] ?? "")
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[łı]/g, (letter) => (letter === "ł" ? "l" : "i"))
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .normalize("NFD")
    .replace(/[^a-z-]/g, "");
}

export type Product = { productId: string; variantId: string; sku: string; title: string; variantTitle: string | null; priceMinor: number };

/** A coffee roaster's catalogue: 40 products × grind variants. */
export const PRODUCTS: readonly Product[] = (() => {
  const coffees = [
    "Espresso Classico", "Espresso Forte", "Crema Bohne", "Filterkaffee Äthiopien Yirgacheffe", "Kolumbien Huila", "Brasil Cerrado",
    "Guatemala Antigua", "Kenia AA", "Sumatra Mandheling", "Entkoffeiniert Mexiko", "Hausmischung Nord", "Röstmeisters Wahl",
    "Café Crème Süd", "Ruanda Kivu", "Peru Bio", "Honduras Marcala", "Nicaragua Jinotega", "Indien Monsoon Malabar",
    "Costa Rica Tarrazú", "Jamaica Blue Mountain",
  ];
  const extras = [
    ["Handmühle Keramik", 4990], ["Porzellan-Filter 1x4", 1990], ["Filterpapier 100 Stück", 490], ["Milchkännchen 350 ml", 2490],
    ["Geschenkgutschein", 2500], ["Barista-Kurs", 8900], ["Tasse Steingut", 1490], ["Kaffeedose luftdicht", 1990],
    ["Entkalker 3er", 990], ["Siebträger-Tamper", 3490], ["French Press 1 l", 3990], ["Cold-Brew-Set", 2990],
    ["Chai-Sirup", 790], ["Kakao Bio 500 g", 890], ["Probierset 4×100 g", 2190], ["Espressotassen 2er", 1890],
    ["Reinigungstabletten", 1290], ["Kaffee-Abo Monat", 2490], ["Röstkurs", 12900], ["Thermobecher", 2290],
  ] as const;
  const out: Product[] = [];
  coffees.forEach((title, index) => {
    for (const [variant, size, price] of [["ganze Bohne", "250 g", 690 + index * 20], ["gemahlen", "250 g", 690 + index * 20], ["ganze Bohne", "1 kg", 2290 + index * 60]] as const) {
      out.push({
        productId: `gid://shopify/Product/${8_100_000_000 + index}`,
        variantId: `gid://shopify/ProductVariant/${45_000_000_000 + out.length}`,
        sku: `KAF-${String(index + 1).padStart(3, "0")}-${size === "1 kg" ? "1000" : "250"}-${variant === "gemahlen" ? "GM" : "GB"}`,
        title: `${title} ${size}`,
        variantTitle: variant,
        priceMinor: price,
      });
    }
  });
  extras.forEach(([title, price], index) => {
    out.push({
      productId: `gid://shopify/Product/${8_200_000_000 + index}`,
      variantId: `gid://shopify/ProductVariant/${46_000_000_000 + index}`,
      sku: `ZUB-${String(index + 1).padStart(3, "0")}`,
      title,
      variantTitle: null,
      priceMinor: price,
    });
  });
  return out;
})();

/** Popular products first, like a real catalogue's sales. */
export const PRODUCT_PICKER = new SkewedPicker(PRODUCTS, 0.8);

export const CAMPAIGN_NAMES = [
  "Winterkatalog 2025",
  "Frühlingsgruß 2026",
  "Sommer-Röstung 2026",
  "Reaktivierung: lange nicht gesehen",
  "Herbstneuheiten 2026",
  "Black-Friday-Dankeschön 2026",
] as const;
