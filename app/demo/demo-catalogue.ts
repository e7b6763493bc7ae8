/**
 * Source material for the demo shop "Kaffeerösterei Morgenrot": people, places and products.
 * Names deliberately include umlauts, accents, Polish letters and Cyrillic, so search and
 * letters can be tried beyond ASCII.
 */

export type Gender = "f" | "m";
export type Person = { first: string; last: string; gender: Gender; emailName?: string };

export type CountryProfile = {
  code: string;
  language: string;
  weight: number;
  currency: "EUR" | "USD" | "CHF";
  emailDomains: string[];
  cities: Array<{ city: string; postal: () => string; region?: string }>;
  streets: string[];
  people: () => Person;
};

type Rng = { int: (min: number, max: number) => number; pick: <T>(items: readonly T[]) => T };

const DE_FIRST_F = ["Anna", "Lena", "Sophie", "Marie", "Hannah", "Käthe", "Sabine", "Petra", "Ursula", "Katharina", "Julia", "Franziska", "Mia", "Clara", "Greta", "Dörte", "Mareike", "Jördis", "Ayşe", "Lea"];
const DE_FIRST_M = ["Jürgen", "Jörg", "Björn", "Günter", "Sören", "Lukas", "Jonas", "Leon", "Felix", "Maximilian", "Paul", "Thomas", "Michael", "Andreas", "Stefan", "Tobias", "Matthias", "Niklas", "Moritz", "Ömer"];
const DE_LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Böhm", "Groß", "Weiß", "Jäger", "Vogel", "Günther", "Straßburger", "Öztürk", "Yılmaz", "Kühn", "Mößner", "Fuß"];
const CH_LAST = ["Keller", "Brunner", "Baumann", "Gerber", "Frei", "Huber", "Steiner", "Widmer", "Zürcher", "Märki"];
const FR_FIRST_F = ["Amélie", "Chloé", "Léa", "Zoé", "Hélène", "Élodie", "Gaëlle", "Céline", "Maëlle", "Inès"];
const FR_FIRST_M = ["François", "Jérôme", "Théo", "Noël", "Benoît", "Loïc", "Gérard", "Stéphane", "Hugo", "Raphaël"];
const FR_LAST = ["Dubois", "Lefèvre", "Moreau", "Girard", "Lemaître", "Roux", "Fontaine", "Chevalier", "Bérenger", "Mercier", "Garçon", "Béranger"];
const IT_FIRST_F = ["Giulia", "Chiara", "Francesca"];
const IT_FIRST_M = ["Marco", "Luca", "Niccolò"];
const IT_LAST = ["Rossi", "Bianchi", "Ferrari", "Esposito", "Colombo"];
const NL_FIRST_F = ["Sanne", "Femke", "Lotte"];
const NL_FIRST_M = ["Daan", "Sem", "Bram"];
const NL_LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser"];
const EN_FIRST_F = ["Emily", "Sarah", "Jessica", "Ashley", "Megan", "Olivia"];
const EN_FIRST_M = ["John", "Michael", "David", "Chris", "Daniel", "Oliver"];
const EN_LAST = ["Miller", "Johnson", "Brown", "Davis", "Wilson", "Moore", "Taylor", "Anderson", "O'Brien", "Smith"];

// Polish and Russian surnames change with gender, so people come as whole pairs.
const PL_PEOPLE: Person[] = [
  { first: "Łukasz", last: "Wiśniewski", gender: "m" },
  { first: "Paweł", last: "Nowak", gender: "m" },
  { first: "Michał", last: "Dąbrowski", gender: "m" },
  { first: "Wojciech", last: "Zieliński", gender: "m" },
  { first: "Krzysztof", last: "Wójcik", gender: "m" },
  { first: "Jędrzej", last: "Mazur", gender: "m" },
  { first: "Zofia", last: "Szymańska", gender: "f" },
  { first: "Małgorzata", last: "Kowalska", gender: "f" },
  { first: "Agnieszka", last: "Woźniak", gender: "f" },
  { first: "Katarzyna", last: "Lewandowska", gender: "f" },
  { first: "Żaneta", last: "Kamińska", gender: "f" },
];
const RU_PEOPLE: Person[] = [
  { first: "Иван", last: "Жуков", gender: "m", emailName: "ivan.zhukov" },
  { first: "Юрий", last: "Жуков", gender: "m", emailName: "yuri.zhukov" },
  { first: "Ольга", last: "Смирнова", gender: "f", emailName: "olga.smirnova" },
  { first: "Дмитрий", last: "Волков", gender: "m", emailName: "dmitri.volkov" },
  { first: "Наталья", last: "Кузнецова", gender: "f", emailName: "natalia.kuznetsova" },
  { first: "Сергей", last: "Попов", gender: "m", emailName: "sergei.popov" },
  { first: "Екатерина", last: "Соколова", gender: "f", emailName: "ekaterina.sokolova" },
  { first: "Алексей", last: "Морозов", gender: "m", emailName: "alexei.morozov" },
  { first: "Мария", last: "Лебедева", gender: "f", emailName: "maria.lebedeva" },
  { first: "Татьяна", last: "Фёдорова", gender: "f", emailName: "tatiana.fedorova" },
  { first: "Анна", last: "Павлова", gender: "f", emailName: "anna.pavlova" },
];

const DE_STREETS = ["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenallee", "Gartenweg", "Am Mühlbach", "Friedrichstraße", "Schloßstraße", "Kastanienweg", "Mühlenstraße", "Bergstraße", "Rosenstraße", "Marktplatz", "Lößnitzgrundstraße", "Königsallee", "Große Bäckerstraße", "Fröbelstraße"];
const AT_STREETS = ["Mariahilfer Straße", "Landstraßer Hauptstraße", "Herrengasse", "Getreidegasse", "Kärntner Straße"];
const CH_STREETS = ["Bahnhofstrasse", "Seestrasse", "Dorfstrasse", "Rue du Rhône", "Kramgasse"];
const FR_STREETS = ["Rue de la République", "Avenue Jean Jaurès", "Rue Victor Hugo", "Boulevard Saint-Germain", "Place de l'Église"];
const PL_STREETS = ["ul. Marszałkowska", "ul. Długa", "ul. Piotrkowska", "ul. Floriańska", "al. Jerozolimskie"];
const NL_STREETS = ["Prinsengracht", "Oudegracht", "Kerkstraat", "Dorpsstraat"];
const IT_STREETS = ["Via Roma", "Corso Buenos Aires", "Via dell'Indipendenza"];
const US_STREETS = ["Main Street", "Maple Avenue", "Oak Street", "Park Avenue", "2nd Street"];
const GB_STREETS = ["High Street", "Station Road", "Church Lane"];

const pad = (value: number, width: number) => String(value).padStart(width, "0");

function personFrom(random: Rng, first: { f: string[]; m: string[] }, last: string[]): Person {
  const gender: Gender = random.int(0, 1) === 0 ? "f" : "m";
  return { first: random.pick(first[gender]), last: random.pick(last), gender };
}

export function countryProfiles(random: Rng): CountryProfile[] {
  const de = { f: DE_FIRST_F, m: DE_FIRST_M };
  const postalNear = (base: number, width = 5) => () => pad(base + random.int(0, 60), width);
  return [
    {
      code: "DE",
      language: "de",
      weight: 57,
      currency: "EUR",
      emailDomains: ["web.de", "gmx.de", "t-online.de", "posteo.de", "gmail.com", "mailbox.org"],
      cities: [
        { city: "Berlin", postal: postalNear(10115) },
        { city: "Hamburg", postal: postalNear(20095) },
        { city: "München", postal: postalNear(80331) },
        { city: "Köln", postal: postalNear(50667) },
        { city: "Frankfurt am Main", postal: postalNear(60311) },
        { city: "Leipzig", postal: postalNear(4109) },
        { city: "Dresden", postal: postalNear(1067) },
        { city: "Nürnberg", postal: postalNear(90402) },
        { city: "Freiburg im Breisgau", postal: postalNear(79098) },
        { city: "Münster", postal: postalNear(48143) },
        { city: "Lübeck", postal: postalNear(23552) },
        { city: "Görlitz", postal: postalNear(2826) },
        { city: "Würzburg", postal: postalNear(97070) },
        { city: "Düsseldorf", postal: postalNear(40213) },
        { city: "Osnabrück", postal: postalNear(49074) },
      ],
      streets: DE_STREETS,
      people: () => personFrom(random, de, DE_LAST),
    },
    {
      code: "DE",
      language: "ru",
      weight: 4,
      currency: "EUR",
      emailDomains: ["mail.ru", "yandex.ru", "gmx.de"],
      cities: [
        { city: "Berlin", postal: postalNear(12679) },
        { city: "Hannover", postal: postalNear(30159) },
      ],
      streets: DE_STREETS,
      people: () => random.pick(RU_PEOPLE),
    },
    {
      code: "AT",
      language: "de-AT",
      weight: 8,
      currency: "EUR",
      emailDomains: ["gmx.at", "aon.at", "chello.at"],
      cities: [
        { city: "Wien", postal: () => `1${pad(random.int(1, 23), 2)}0` },
        { city: "Graz", postal: () => `80${pad(random.int(10, 60), 2)}` },
        { city: "Salzburg", postal: () => `50${pad(random.int(20, 30), 2)}` },
        { city: "Innsbruck", postal: () => "6020" },
      ],
      streets: AT_STREETS,
      people: () => personFrom(random, de, DE_LAST),
    },
    {
      code: "CH",
      language: "de-CH",
      weight: 5,
      currency: "CHF",
      emailDomains: ["bluewin.ch", "gmx.ch", "sunrise.ch"],
      cities: [
        { city: "Zürich", postal: () => `80${pad(random.int(1, 57), 2)}` },
        { city: "Bern", postal: () => `30${pad(random.int(3, 27), 2)}` },
        { city: "Basel", postal: () => `40${pad(random.int(1, 59), 2)}` },
      ],
      streets: CH_STREETS,
      people: () => personFrom(random, de, CH_LAST),
    },
    {
      code: "CH",
      language: "fr-CH",
      weight: 2,
      currency: "CHF",
      emailDomains: ["bluewin.ch"],
      cities: [
        { city: "Genève", postal: () => `12${pad(random.int(1, 9), 2)}` },
        { city: "Lausanne", postal: () => `100${random.int(3, 7)}` },
      ],
      streets: CH_STREETS,
      people: () => personFrom(random, { f: FR_FIRST_F, m: FR_FIRST_M }, FR_LAST),
    },
    {
      code: "FR",
      language: "fr",
      weight: 6,
      currency: "EUR",
      emailDomains: ["orange.fr", "free.fr", "laposte.net"],
      cities: [
        { city: "Paris", postal: () => `750${pad(random.int(1, 20), 2)}` },
        { city: "Lyon", postal: () => `6900${random.int(1, 9)}` },
        { city: "Strasbourg", postal: () => `6700${random.int(0, 9)}` },
        { city: "Bordeaux", postal: () => "33000" },
      ],
      streets: FR_STREETS,
      people: () => personFrom(random, { f: FR_FIRST_F, m: FR_FIRST_M }, FR_LAST),
    },
    {
      code: "PL",
      language: "pl",
      weight: 5,
      currency: "EUR",
      emailDomains: ["wp.pl", "onet.pl", "o2.pl"],
      cities: [
        { city: "Warszawa", postal: () => `0${random.int(0, 4)}-${pad(random.int(1, 999), 3)}` },
        { city: "Kraków", postal: () => `3${random.int(0, 1)}-${pad(random.int(1, 999), 3)}` },
        { city: "Wrocław", postal: () => `5${random.int(0, 4)}-${pad(random.int(1, 999), 3)}` },
        { city: "Gdańsk", postal: () => `80-${pad(random.int(1, 999), 3)}` },
        { city: "Łódź", postal: () => `9${random.int(0, 4)}-${pad(random.int(1, 999), 3)}` },
      ],
      streets: PL_STREETS,
      people: () => random.pick(PL_PEOPLE),
    },
    {
      code: "NL",
      language: "nl",
      weight: 3,
      currency: "EUR",
      emailDomains: ["ziggo.nl", "kpnmail.nl"],
      cities: [
        { city: "Amsterdam", postal: () => `10${random.int(11, 99)} ${random.pick(["AB", "KL", "RT", "ZX"])}` },
        { city: "Utrecht", postal: () => `35${random.int(11, 85)} ${random.pick(["BC", "DE", "GH"])}` },
      ],
      streets: NL_STREETS,
      people: () => personFrom(random, { f: NL_FIRST_F, m: NL_FIRST_M }, NL_LAST),
    },
    {
      code: "IT",
      language: "it",
      weight: 2,
      currency: "EUR",
      emailDomains: ["libero.it", "tiscali.it"],
      cities: [
        { city: "Milano", postal: () => `201${pad(random.int(0, 99), 2)}` },
        { city: "Bologna", postal: () => `401${pad(random.int(21, 41), 2)}` },
      ],
      streets: IT_STREETS,
      people: () => personFrom(random, { f: IT_FIRST_F, m: IT_FIRST_M }, IT_LAST),
    },
    {
      code: "US",
      language: "en",
      weight: 6,
      currency: "USD",
      emailDomains: ["gmail.com", "yahoo.com", "outlook.com"],
      cities: [
        { city: "Brooklyn", region: "NY", postal: () => `112${pad(random.int(1, 40), 2)}` },
        { city: "Portland", region: "OR", postal: () => `972${pad(random.int(1, 20), 2)}` },
        { city: "Austin", region: "TX", postal: () => `787${pad(random.int(1, 50), 2)}` },
        { city: "Seattle", region: "WA", postal: () => `981${pad(random.int(1, 99), 2)}` },
        { city: "Chicago", region: "IL", postal: () => `606${pad(random.int(1, 60), 2)}` },
      ],
      streets: US_STREETS,
      people: () => personFrom(random, { f: EN_FIRST_F, m: EN_FIRST_M }, EN_LAST),
    },
    {
      code: "GB",
      language: "en-GB",
      weight: 2,
      currency: "EUR",
      emailDomains: ["btinternet.com", "gmail.com"],
      cities: [
        { city: "London", postal: () => `${random.pick(["N1", "SE1", "E2", "NW3"])} ${random.int(1, 9)}${random.pick(["AA", "BD", "QT"])}` },
        { city: "Manchester", postal: () => `M${random.int(1, 20)} ${random.int(1, 9)}XY` },
      ],
      streets: GB_STREETS,
      people: () => personFrom(random, { f: EN_FIRST_F, m: EN_FIRST_M }, EN_LAST),
    },
  ];
}

export const COMPANIES = ["Café Sonnenschein GmbH", "Bäckerei Kühn", "Büro Zimmermann & Partner", "Kanzlei Weiß Rechtsanwälte", "Coworking Südstadt UG", "Hotel zur Post", "Praxis Dr. Böhm", "Eiscafé Venezia Görlitz"];

export type Product = {
  productId: string;
  title: string;
  /** variant title, SKU, unit price in EUR cents */
  variants: Array<{ variantId: string; title: string | null; sku: string; priceMinor: number }>;
  weight: number;
  b2b?: boolean;
};

const beans = (id: string, title: string, skuStem: string, price250: number, weight: number): Product => ({
  productId: id,
  title,
  weight,
  variants: [
    { variantId: `${id}01`, title: "250 g / ganze Bohne", sku: `${skuStem}-250-B`, priceMinor: price250 },
    { variantId: `${id}02`, title: "250 g / Filter gemahlen", sku: `${skuStem}-250-F`, priceMinor: price250 },
    { variantId: `${id}03`, title: "1 kg / ganze Bohne", sku: `${skuStem}-1000-B`, priceMinor: Math.round(price250 * 3.4 / 10) * 10 - 10 },
  ],
});

export const PRODUCTS: Product[] = [
  beans("8101", "Espresso Morgenrot", "ESP-MR", 1290, 30),
  beans("8102", "Äthiopien Yirgacheffe (Filter)", "FIL-ETH", 1490, 18),
  beans("8103", "Kolumbien Huila", "FIL-COL", 1350, 16),
  beans("8104", "Brasil Santos Crema", "ESP-BRA", 1150, 14),
  beans("8105", "Entkoffeiniert – Schweizer Wasser", "DEC-SWP", 1390, 8),
  beans("8106", "Guatemala Antigua", "FIL-GUA", 1450, 10),
  { productId: "8201", title: "Probierpaket 4 × 250 g", weight: 9, variants: [{ variantId: "820101", title: null, sku: "SET-PROBE-4", priceMinor: 4490 }] },
  { productId: "8202", title: "Kaffee-Abo 3 Monate", weight: 4, variants: [{ variantId: "820201", title: "Espresso", sku: "ABO-3M-ESP", priceMinor: 7900 }, { variantId: "820202", title: "Filter", sku: "ABO-3M-FIL", priceMinor: 7900 }] },
  { productId: "8301", title: "Handfilter Keramik", weight: 5, variants: [{ variantId: "830101", title: "Weiß", sku: "ACC-HF-WEISS", priceMinor: 2490 }, { variantId: "830102", title: "Schwarz", sku: "ACC-HF-SCHWARZ", priceMinor: 2490 }] },
  { productId: "8302", title: "Filterpapier Größe 4 (100 Stk.)", weight: 7, variants: [{ variantId: "830201", title: null, sku: "ACC-FP-100", priceMinor: 490 }] },
  { productId: "8303", title: "Handmühle Comandante C40", weight: 2, variants: [{ variantId: "830301", title: "Nitro Blade", sku: "GRD-C40", priceMinor: 26900 }] },
  { productId: "8304", title: "Siebträgermaschine Rocket Appartamento", weight: 0.6, variants: [{ variantId: "830401", title: "Kupfer", sku: "MAC-RKT-APP", priceMinor: 149900 }] },
  { productId: "8305", title: "Barista-Kurs (Gutschein)", weight: 2, variants: [{ variantId: "830501", title: "Leipzig", sku: "GUT-KURS", priceMinor: 8900 }] },
  { productId: "8401", title: "Gastro-Espresso 5 kg", weight: 0, b2b: true, variants: [{ variantId: "840101", title: "ganze Bohne", sku: "GAS-ESP-5000", priceMinor: 9900 }] },
];
