-- Console: "sign out everywhere" session version; operator token scopes.
ALTER TABLE "Operator" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "OperatorToken" ADD COLUMN "readOnly" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "OperatorToken" ADD COLUMN "tenantId" TEXT;
