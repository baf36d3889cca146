// Instagram's User Profile API in the shape Meta's documentation gives it, for the Instagram API
// with Instagram Login: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api/user-profile
// (GET graph.instagram.com/<IGSID>?fields=... with the Instagram user access token; the fields,
// types and sample answer are the ones listed there and on the Messenger-platform twin,
// https://developers.facebook.com/docs/messenger-platform/instagram/features/user-profile). The
// refusal for a person who never messaged the account is the one that page names ("User consent is
// required to access user profile"), with the code and status Graph sends it with (#230, HTTP 403;
// as reported in chatwoot/chatwoot#5509). fake-instagram.ts is checked against this shape.

/** Every field the User Profile API documents, with its JSON type. */
export const INSTAGRAM_USER_PROFILE_FIELD_TYPES = {
  name: "string",
  username: "string",
  profile_pic: "string",
  follower_count: "number",
  is_user_follow_business: "boolean",
  is_business_follow_user: "boolean",
  is_verified_user: "boolean",
} as const;

/** The documented sample request's fields. */
export const INSTAGRAM_USER_PROFILE_SAMPLE_FIELDS = "name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user";

/** The documented sample answer (Meta shortens the picture URL; these expire within days). */
export const INSTAGRAM_USER_PROFILE_SAMPLE = {
  name: "Peter Chang",
  username: "peter_chang_live",
  profile_pic: "https://fbcdn-profile-a.akamaihd.net/peter_chang_live.jpg",
  follower_count: 1234,
  is_user_follow_business: false,
  is_business_follow_user: true,
} as const;

/** The answer for a person who has not messaged the account (or clicked an icebreaker) yet. */
export const INSTAGRAM_USER_PROFILE_NO_CONSENT = {
  status: 403,
  body: {
    error: {
      message: "(#230) User consent is required to access user profile",
      type: "OAuthException",
      code: 230,
      fbtrace_id: "AaitxFwhwYFakeTrace",
    },
  },
} as const;
