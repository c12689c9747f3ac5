import { labReason, parseTempestLines, renderSummary, serviceOf, summarize } from "../../render/tempestResults";

// A `tempest run` console as stestr's subunit-trace prints it: per-test lines
// among log noise, a class skipped in setUpClass, attributes after test ids.
const CONSOLE = `{0} tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_get_flavor[id-1f12046b-753d-40d2-abb6-d8eb8b30cb2f,smoke] [0.412s] ... ok
2026-12-03 19:00:01.123 1234 INFO tempest [-] Using tempest config file /var/lib/openstack-lab/tempest/etc/tempest.conf
{1} tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token[id-6f8e4436-fc96-4282-8122-e41df57197a9,smoke] [1.050s] ... ok
{1} setUpClass (tempest.api.volume.test_volumes_actions.VolumesActionsTest) ... SKIPPED: Cinder is not available
{0} tempest.api.network.test_floating_ips.FloatingIPTestJSON.test_create_list_show_update_delete_floating_ip ... SKIPPED: Floating ips are not available
{0} tempest.api.network.test_routers.RoutersTest.test_create_show_list_update_delete_router[id-f64403e2-8483-4b34-8ccd-b09a87bcc68c,smoke] ... SKIPPED: Floating ips are not available
{1} tempest.scenario.test_server_basic_ops.TestServerBasicOps.test_server_basic_ops[compute,id-7fff3fb3-91d8-4fd0-bd7d-0204f1f180ba,network,smoke] [312.700s] ... FAILED
{0} tempest.api.compute.servers.test_create_server.ServersTestJSON.test_list_servers [5.0s] ... ok
Totals
======
Ran: 7 tests in 330.0000 sec.
`;

describe("Tempest's results", () => {
    it("reads each per-test line, with its service, outcome and skip reason, and nothing else", () => {
        const lines = parseTempestLines(CONSOLE);
        expect(lines.map((l) => `${l.service} ${l.outcome} ${l.id.split(".").pop()}`)).toEqual([
            "compute ok test_get_flavor",
            "identity ok test_create_token",
            "volume skipped VolumesActionsTest",
            "network skipped test_create_list_show_update_delete_floating_ip",
            "network skipped test_create_show_list_update_delete_router",
            "scenario failed test_server_basic_ops",
            "compute ok test_list_servers",
        ]);
        expect(lines[2].reason).toBe("Cinder is not available");
    });

    it("names a service from a test id", () => {
        expect(serviceOf("tempest.api.object_storage.test_x.T.test_y")).toBe("object_storage");
        expect(serviceOf("tempest.scenario.test_x.T.test_y")).toBe("scenario");
        expect(serviceOf("heat_tempest_plugin.tests.T.test_y")).toBe("heat_tempest_plugin");
    });

    it("prints a table per service, the skips grouped by reason, and the failed tests", () => {
        expect(renderSummary(summarize(parseTempestLines(CONSOLE)))).toMatchSnapshot();
    });

    it("says what the lab does not deploy where Tempest's skip names only a setting", () => {
        expect(labReason("public_network_id option must be specified")).toMatch(/^public_network_id option must be specified \(the lab has no external network/);
        expect(labReason("Cinder is not available")).toBe("Cinder is not available (no storage node, so no volume backend)");
        // Compute's boot-from-volume tests say it in their own words.
        expect(labReason("Volume service not enabled.")).toBe("Volume service not enabled. (no storage node, so no volume backend)");
        expect(labReason("Validation should be enabled to ensure guest OS is running and capable of processing ACPI events.")).toMatch(/\(SSH into the lab's guests is off: /);
        expect(labReason('Either project_networks_reachable must be "true", or public_network_id must be defined.')).toMatch(/\(servers sit on the shared provider network: /);
        expect(labReason("Nova does not support X")).toBe("Nova does not support X");
    });

    it("says there was nothing to count when no test line came", () => {
        expect(summarize(parseTempestLines("tempest: no tests matched\n")).rows).toEqual([]);
    });
});
