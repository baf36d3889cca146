// A human agent's reply outside the 24 h window, in the shape Meta documents it for the Send API:
// https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags (the HUMAN_AGENT
// tag: "allows a human agent to respond to a person's message ... within 7 days"; request fields
// `messaging_type: "MESSAGE_TAG"` and `tag: "HUMAN_AGENT"` beside `recipient` and `message`), which
// the Instagram messaging guide applies to Instagram DMs:
// https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api/
// fake-instagram.ts accepts exactly this shape and the sender's test checks the body against it.

export const INSTAGRAM_HUMAN_AGENT_SAMPLE_REQUEST = {
  recipient: { id: "<IGSID>" },
  messaging_type: "MESSAGE_TAG",
  tag: "HUMAN_AGENT",
  message: { text: "Hello World" },
} as const;
