// Three suites: unit (pure functions and component graphs under mocks),
// integration (providers against real hosts), e2e (the real pulumi CLI).
const project = (name, timeout) => ({
    displayName: name,
    preset: "ts-jest",
    testEnvironment: "node",
    testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: { warnOnly: false } }] },
});
module.exports = {
    projects: [project("unit"), project("integration"), project("e2e")],
};
