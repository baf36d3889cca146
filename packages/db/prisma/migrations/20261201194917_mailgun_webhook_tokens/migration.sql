-- CreateTable
CREATE TABLE "mailgun_webhook_tokens" (
    "token" TEXT NOT NULL,
    "content_sha256" TEXT NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailgun_webhook_tokens_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE INDEX "mailgun_webhook_tokens_expires_at_idx" ON "mailgun_webhook_tokens"("expires_at");
