-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "auditRetentionDays" INTEGER NOT NULL DEFAULT 365;

-- AlterTable
ALTER TABLE "Snapshot" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "kid" TEXT,
ADD COLUMN     "stagedNodeIds" JSONB,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'active';

-- AlterTable
ALTER TABLE "DataPlaneNode" ADD COLUMN     "lastHeartbeatAt" TIMESTAMP(3),
ADD COLUMN     "reportsStale" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "upstreamHealth" JSONB,
ADD COLUMN     "version" TEXT;

-- CreateTable
CREATE TABLE "DataPlaneEvent" (
    "id" TEXT NOT NULL,
    "chainKey" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "tenantId" TEXT,
    "nodeId" TEXT NOT NULL,
    "keyId" TEXT,
    "kind" TEXT NOT NULL,
    "method" TEXT,
    "server" TEXT,
    "tool" TEXT,
    "originalTool" TEXT,
    "decision" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "latencyMs" DOUBLE PRECISION,
    "argsSha256" TEXT,
    "clientAddress" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataPlaneEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" TEXT NOT NULL,
    "chainKey" TEXT NOT NULL,
    "cutoff" TIMESTAMP(3) NOT NULL,
    "removedCount" INTEGER NOT NULL,
    "lastRemovedSeq" INTEGER,
    "lastRemovedHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RetentionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "framework" TEXT NOT NULL,
    "tenantId" TEXT,
    "periodDays" INTEGER NOT NULL DEFAULT 90,
    "status" TEXT NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "jobId" TEXT,
    "createdById" TEXT,
    "error" TEXT,
    "json" BYTEA,
    "csv" BYTEA,
    "pdf" BYTEA,
    "sha256" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Secret" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Secret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "chainKey" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("chainKey")
);

-- CreateIndex
CREATE INDEX "DataPlaneEvent_tenantId_occurredAt_idx" ON "DataPlaneEvent"("tenantId", "occurredAt");

-- CreateIndex
CREATE INDEX "DataPlaneEvent_occurredAt_idx" ON "DataPlaneEvent"("occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataPlaneEvent_chainKey_seq_key" ON "DataPlaneEvent"("chainKey", "seq");

-- CreateIndex
CREATE INDEX "RetentionRun_chainKey_createdAt_idx" ON "RetentionRun"("chainKey", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Secret_tenantId_name_key" ON "Secret"("tenantId", "name");

