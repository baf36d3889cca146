// What Mailgun POSTs to a route whose forward() URL ends in "mime", in the shape its documentation
// gives: the field names of "MIME Messages Parameters" in Mailgun's user manual
// (github.com/mailgun/documentation, source/user_manual.rst; today documentation.mailgun.com,
// user-manual/receive-forward-store/receive-http) and the signature trio of "Securing Webhooks"
// (a 50-character token, a Unix timestamp in seconds, a 64-digit hex HMAC). The values are
// illustrative; fake-mailgun.ts is checked against this shape so the fake cannot drift from the vendor.

export const MAILGUN_MIME_ROUTE_FIELD_NAMES = ["recipient", "sender", "from", "subject", "body-mime", "timestamp", "token", "signature"] as const;

export const MAILGUN_MIME_ROUTE_EXAMPLE: Record<(typeof MAILGUN_MIME_ROUTE_FIELD_NAMES)[number], string> = {
  recipient: "support@inbound.example.com",
  sender: "bob@example.com",
  from: "Bob <bob@example.com>",
  subject: "Re: Sample POST request",
  "body-mime": "From: Bob <bob@example.com>\r\nTo: support@inbound.example.com\r\nSubject: Re: Sample POST request\r\n\r\nHi Alice,\r\n",
  timestamp: "1770920772",
  token: "e0b5477167110d68991efc6b9f89f0a11066af27834600e123",
  signature: "12d99f5a15355c180971bed7494d578b093c958f57766f3fe750761baed12345",
};
