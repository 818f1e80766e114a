/** The kinds of evidence a report collects; each template maps them to its controls. */
export const EVIDENCE_SECTIONS = [
  "access_review",
  "authentication_failures",
  "configuration_changes",
  "admin_actions",
  "fleet_state",
  "audit_chain",
  "retention_status",
] as const;
export type EvidenceSection = (typeof EVIDENCE_SECTIONS)[number];

export type Control = { id: string; title: string; evidence: EvidenceSection[] };
export type ReportTemplate = { framework: Framework; title: string; controls: Control[] };

export const FRAMEWORKS = ["soc2", "iso27001", "hipaa", "gdpr"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const REPORT_TEMPLATES: Record<Framework, ReportTemplate> = {
  soc2: {
    framework: "soc2",
    title: "SOC 2 (Trust Services Criteria 2017, rev. 2022): security evidence",
    controls: [
      { id: "CC6.1", title: "Logical access security: who holds which roles and keys", evidence: ["access_review"] },
      { id: "CC6.2", title: "Credentials issued, aged, unused and revoked", evidence: ["access_review"] },
      { id: "CC6.6", title: "Authentication failures at the boundary", evidence: ["authentication_failures"] },
      {
        id: "CC7.2",
        title: "Monitoring of system components and anomalies",
        evidence: ["admin_actions", "fleet_state"],
      },
      {
        id: "CC8.1",
        title: "Changes to policy and configuration are authorised and recorded",
        evidence: ["configuration_changes"],
      },
      { id: "CC4.1", title: "Audit trail integrity and retention", evidence: ["audit_chain", "retention_status"] },
    ],
  },
  iso27001: {
    framework: "iso27001",
    title: "ISO/IEC 27001:2022 Annex A: evidence",
    controls: [
      { id: "A.5.15", title: "Access control", evidence: ["access_review"] },
      { id: "A.5.18", title: "Access rights (review of roles and keys)", evidence: ["access_review"] },
      { id: "A.8.5", title: "Secure authentication", evidence: ["authentication_failures"] },
      { id: "A.8.9", title: "Configuration management", evidence: ["configuration_changes", "fleet_state"] },
      { id: "A.8.15", title: "Logging", evidence: ["admin_actions", "audit_chain"] },
      { id: "A.8.32", title: "Change management", evidence: ["configuration_changes"] },
      { id: "A.5.33", title: "Protection of records", evidence: ["audit_chain", "retention_status"] },
    ],
  },
  hipaa: {
    framework: "hipaa",
    title: "HIPAA Security Rule (45 CFR 164 Subpart C): evidence",
    controls: [
      { id: "164.308(a)(4)", title: "Information access management", evidence: ["access_review"] },
      { id: "164.312(a)(1)", title: "Access control", evidence: ["access_review", "fleet_state"] },
      { id: "164.312(b)", title: "Audit controls", evidence: ["admin_actions", "audit_chain"] },
      { id: "164.312(c)(1)", title: "Integrity", evidence: ["audit_chain", "configuration_changes"] },
      { id: "164.312(d)", title: "Person or entity authentication", evidence: ["authentication_failures"] },
      { id: "164.316(b)(2)(i)", title: "Documentation retention", evidence: ["retention_status"] },
    ],
  },
  gdpr: {
    framework: "gdpr",
    title: "GDPR (Regulation (EU) 2016/679): accountability evidence",
    controls: [
      { id: "Art. 5(1)(e)", title: "Storage limitation", evidence: ["retention_status"] },
      {
        id: "Art. 5(1)(f)",
        title: "Integrity and confidentiality",
        evidence: ["audit_chain", "authentication_failures"],
      },
      {
        id: "Art. 30",
        title: "Records of processing activities",
        evidence: ["admin_actions", "configuration_changes"],
      },
      { id: "Art. 32", title: "Security of processing", evidence: ["access_review", "fleet_state"] },
    ],
  },
};
