// A small business's knowledge as an owner would paste it: Lina Atelier, a women's clothing
// boutique in Lisbon, with an English store guide, short Portuguese and Spanish pages and a few
// FAQ pairs. Each passage has an id the questions point at.

export interface EvalPassage {
  id: string;
  heading: string;
  body: string;
}

export interface EvalDocument {
  title: string;
  passages: EvalPassage[];
}

export interface EvalFaq {
  id: string;
  question: string;
  answer: string;
}

export const STORE_GUIDE: EvalDocument = {
  title: "Lina Atelier store guide",
  passages: [
    { id: "hours", heading: "Opening hours", body: "Our Lisbon shop on Rua da Rosa 112 is open Tuesday to Saturday from 10:00 to 19:00 and Sunday from 12:00 to 17:00. We are closed on Mondays and on public holidays." },
    { id: "location", heading: "Finding us", body: "The shop is at Rua da Rosa 112, Bairro Alto, Lisbon. The nearest metro station is Baixa-Chiado (green and blue lines), a 6 minute walk. Tram 28 stops at Calhariz. There is no customer parking; the Camões car park is 300 m away." },
    { id: "sizes", heading: "Sizes and fit", body: "Our dresses, tops and trousers come in sizes XS to XL (EU 34 to 44). Most pieces fit true to size; the linen dresses are cut loose, so if you are between sizes pick the smaller one. Each product page lists the garment measurements in centimetres." },
    { id: "prices", heading: "Prices", body: "Linen dresses cost 129 to 189 EUR, silk blouses 95 to 140 EUR, knitwear 79 to 160 EUR and accessories from 25 EUR. All prices include Portuguese VAT (23%)." },
    { id: "shipping-pt", heading: "Shipping within Portugal", body: "Orders placed before 14:00 on a working day leave the same day with CTT. Delivery in mainland Portugal takes 1-2 working days and costs 4.50 EUR; it is free above 100 EUR. Madeira and the Azores take 3-5 days." },
    { id: "shipping-intl", heading: "International shipping", body: "We ship to the EU, the UK, Switzerland, the USA and Canada with DHL Express. EU delivery takes 2-4 working days and costs 9 EUR (free above 200 EUR). The UK, Switzerland and North America take 3-6 days and cost 19 EUR; customs duties outside the EU are paid by the customer." },
    { id: "tracking", heading: "Tracking your order", body: "As soon as your parcel leaves the studio you receive an email with a tracking link. If the link shows no movement for 3 working days, write to us and we will open an inquiry with the carrier." },
    { id: "returns", heading: "Returns", body: "You can return unworn items with their tags within 30 days of delivery for a full refund. Start a return from the link in your confirmation email; returns within Portugal are free, from abroad the return label costs 7 EUR. Sale items and earrings cannot be returned." },
    { id: "exchanges", heading: "Exchanges", body: "Want another size or colour? We exchange once per order free of charge, within 30 days. Reserve the new size by replying to your order email, then send the first piece back." },
    { id: "refunds", heading: "Refunds", body: "Refunds go back to the original payment method within 5 working days after your return reaches us. MB Way and Multibanco payments are refunded to the IBAN you give us." },
    { id: "payment", heading: "Payment methods", body: "We accept Visa, Mastercard, American Express, PayPal, Apple Pay, MB Way and Multibanco. You can also pay in 3 interest-free instalments with Klarna for orders above 60 EUR." },
    { id: "appointments", heading: "Styling appointments", body: "Book a free 45-minute styling session in the shop, alone or with a friend, Tuesday to Saturday. Choose a time on linaatelier.pt/book or send us a message; we keep your sizes ready in the fitting room." },
    { id: "alterations", heading: "Alterations", body: "Our tailor shortens hems and sleeves and takes in waists. Hems cost 12 EUR, sleeves 15 EUR; the work is ready in 3 working days. Alterations are free on full-price dresses bought in the shop." },
    { id: "care", heading: "Fabric care", body: "Wash linen at 30 degrees on a gentle cycle and hang it to dry; it softens with every wash. Silk should be hand washed in cold water or dry cleaned. Never tumble dry knitwear." },
    { id: "materials", heading: "Materials and sustainability", body: "Our linen is grown and woven in Portugal, our silk is certified by OEKO-TEX and the knitwear is made from recycled merino wool in a family workshop in Porto. We ship in recycled paper without plastic." },
    { id: "gift-cards", heading: "Gift cards", body: "Gift cards from 25 to 500 EUR are sent by email within minutes and can be used online and in the shop for 2 years." },
    { id: "gift-wrapping", heading: "Gift wrapping", body: "Add gift wrapping at checkout for 3 EUR: tissue paper, a linen ribbon and a handwritten card with your message. Prices are never shown inside the parcel." },
    { id: "discounts", heading: "Discounts and sales", body: "Subscribe to the newsletter and get 10% off your first order. Students get 15% off with a valid student card in the shop. We run one seasonal sale in January and one in July." },
    { id: "stock", heading: "Stock and restocks", body: "If a size is sold out, press 'Notify me' on the product page and we email you when it is back. Most sizes are restocked within 3-4 weeks; limited editions are not remade." },
    { id: "collect", heading: "Collect in store", body: "Choose 'Pick up in Lisbon' at checkout and collect your order for free from the shop, usually the next working day. Bring the order number." },
    { id: "contact", heading: "Contact", body: "Write to hello@linaatelier.pt or send a DM on Instagram; we answer within one working day. Phone: +351 21 000 0000, Tuesday to Saturday 10:00-18:00." },
  ],
};

export const PORTUGUESE_PAGE: EvalDocument = {
  title: "Perguntas frequentes",
  passages: [
    { id: "pt-hours", heading: "Horário", body: "A loja na Rua da Rosa 112 está aberta de terça a sábado das 10h às 19h e ao domingo das 12h às 17h. Fechamos às segundas-feiras e feriados." },
    { id: "pt-shipping", heading: "Envios", body: "Os envios para Portugal continental demoram 1 a 2 dias úteis e custam 4,50 EUR; são grátis acima de 100 EUR." },
    { id: "pt-returns", heading: "Trocas e devoluções", body: "Pode devolver ou trocar peças sem uso, com etiqueta, até 30 dias após a entrega. As devoluções em Portugal são gratuitas." },
  ],
};

export const SPANISH_PAGE: EvalDocument = {
  title: "Preguntas frecuentes",
  passages: [
    { id: "es-shipping", heading: "Envíos a España", body: "Enviamos a España con DHL Express en 2 a 4 días laborables por 9 EUR; gratis a partir de 200 EUR." },
    { id: "es-returns", heading: "Devoluciones", body: "Puedes devolver prendas sin usar y con etiqueta en un plazo de 30 días. La etiqueta de devolución desde España cuesta 7 EUR." },
    { id: "es-sizes", heading: "Tallas", body: "Nuestras tallas van de la XS a la XL (34 a 44 europea). Los vestidos de lino tienen un corte amplio: si dudas entre dos tallas, elige la más pequeña." },
  ],
};

export const FAQS: EvalFaq[] = [
  { id: "faq-pets", question: "Can I bring my dog to the shop?", answer: "Yes, dogs are welcome in the shop. We keep a water bowl by the door." },
  { id: "faq-bridal", question: "Do you make wedding dresses?", answer: "We do not make bridal gowns, but our silk slip dresses are often worn by guests and for civil ceremonies." },
  { id: "faq-kids", question: "Do you sell children's clothes?", answer: "No, we only design women's clothing and a few unisex accessories." },
  { id: "faq-custom", question: "Can you make a piece to measure?", answer: "Yes, made-to-measure linen dresses take 3 weeks and cost 40 EUR more than the standard price." },
];

/** The markdown an owner would paste for a document. */
export function documentText(document: EvalDocument): string {
  return document.passages.map((passage) => `## ${passage.heading}\n${passage.body}`).join("\n\n");
}
