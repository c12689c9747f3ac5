// The passwords the e2e labs are given by hand, and the check that neither
// they nor the generated admin password reach the state in plain text.

/**
 * Passwords holding URL, shell and oslo.config syntax: every service and the compute node must read them back as set.
 * The RabbitMQ one has no `/`, which the schema refuses (oslo.messaging hands it to kombu unescaped).
 */
export const AWKWARD_PASSWORDS = {
    keystoneDb: "k$y/:?#& 1'", novaDb: `n'v"db;$(id)`, nova: "'nova $pw'", neutron: `ne"u$(id)tr@n`, rabbit: `r@b$it:#;x%'" ?&`,
};

/** The admin password (from the lab's adminrc, 24 characters or more) and each awkward one are nowhere in `state`, raw or encoded. */
export function expectPasswordsOutOf(state: string, adminrc: string): void {
    const adminPassword = /^export OS_PASSWORD=(.*)$/m.exec(adminrc)![1].replace(/^'|'$/g, "");
    expect(adminPassword.length).toBeGreaterThanOrEqual(24);
    expect(state).not.toContain(adminPassword);
    for (const pw of Object.values(AWKWARD_PASSWORDS)) {
        expect(state).not.toContain(JSON.stringify(pw).slice(1, -1));
        expect(state).not.toContain(encodeURIComponent(pw));
    }
}
