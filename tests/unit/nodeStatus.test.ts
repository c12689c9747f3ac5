import { nodeRows, renderTable, type NodeEntry } from "../../providers/nodeStatus";

// What the controller prints for the table's script: its hostname, then the
// client's JSON lists (the field names python3-openstackclient uses).
function output(services: object[], agents: object[]): string {
    return `ctl-host\n@@olab-agents@@\n${JSON.stringify(services)}\n@@olab-agents@@\n${JSON.stringify(agents)}\n`;
}

const svc = (Binary: string, Host: string, State: string) => ({ ID: 1, Binary, Host, Zone: "internal", Status: "enabled", State, "Updated At": "2026-11-23T19:00:00" });
const agent = (Binary: string, Host: string, Alive: boolean) => ({ ID: "x", "Agent Type": "a", Host, "Availability Zone": null, Alive, State: true, Binary });

const NODES: NodeEntry[] = [
    { node: "cn43", type: "head" },
    { node: "cn44", type: "compute", listedAs: "cn44" },
    { node: "cn45", type: "compute", listedAs: "cn45" },
];

describe("nodeRows", () => {
    it("finds the head node under the controller's hostname and each compute node under its own name", () => {
        const rows = nodeRows(output(
            [svc("nova-scheduler", "ctl-host", "up"), svc("nova-conductor", "ctl-host", "up"), svc("nova-compute", "cn44", "up")],
            [agent("neutron-dhcp-agent", "ctl-host", true), agent("neutron-linuxbridge-agent", "cn44", true)],
        ), NODES);
        expect(rows).toEqual([
            { node: "cn43", type: "head", status: "up", services: ["neutron-dhcp-agent", "nova-conductor", "nova-scheduler"] },
            { node: "cn44", type: "compute", status: "up", services: ["neutron-linuxbridge-agent", "nova-compute"] },
            { node: "cn45", type: "compute", status: "not registered", services: [] },
        ]);
    });

    it("names the services that are down", () => {
        const rows = nodeRows(output([svc("nova-compute", "cn44", "down")], [agent("neutron-linuxbridge-agent", "cn44", false)]), NODES.slice(1, 2));
        expect(rows[0].status).toBe("down: neutron-linuxbridge-agent, nova-compute");
    });

    it("finds the storage node under <name>@lvm in Cinder's list, read only when the lab has one", () => {
        const volumes = [svc("cinder-scheduler", "ctl-host", "up"), svc("cinder-volume", "stor@lvm", "down")];
        const out = `${output([svc("nova-scheduler", "ctl-host", "up")], [])}@@olab-agents@@\n${JSON.stringify(volumes)}\n`;
        const rows = nodeRows(out, [{ node: "cn43", type: "head" }, { node: "stor", type: "storage", listedAs: "stor@lvm" }]);
        expect(rows).toEqual([
            { node: "cn43", type: "head", status: "up", services: ["cinder-scheduler", "nova-scheduler"] },
            { node: "stor", type: "storage", status: "down: cinder-volume", services: ["cinder-volume"] },
        ]);
        // A storage node in the table needs Cinder's list in the output.
        expect(() => nodeRows(output([], []), [{ node: "stor", type: "storage", listedAs: "stor@lvm" }])).toThrow(/unexpected output/);
    });

    it("refuses output that is not the client's two lists", () => {
        expect(() => nodeRows("ctl-host\nThe request you have made requires authentication. (HTTP 401)\n", NODES)).toThrow(/unexpected output/);
    });
});

describe("renderTable", () => {
    it("lays the rows out as seed 003's Markdown table, columns padded", () => {
        expect(renderTable([
            { node: "cn43", type: "head", status: "up", services: [] },
            { node: "cn46", type: "compute", status: "not registered", services: [] },
        ])).toBe(
            "| Node | Type    | Status         |\n" +
            "|------|---------|----------------|\n" +
            "| cn43 | head    | up             |\n" +
            "| cn46 | compute | not registered |\n");
    });
});
