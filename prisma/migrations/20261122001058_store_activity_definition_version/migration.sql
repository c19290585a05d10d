CREATE TYPE "StoreActivity" AS ENUM ('idle', 'writing', 'deleting');

ALTER TABLE "event_definitions" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "event_stores" ADD COLUMN     "activity" "StoreActivity" NOT NULL DEFAULT 'idle',
ADD COLUMN     "activity_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "lease_owner" TEXT;
