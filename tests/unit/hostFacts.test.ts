import { parseFacts } from "../../providers/hostFacts";

describe("parseFacts", () => {
    it("reads an Intel Ubuntu host with nested KVM on", () => {
        const f = parseFacts("os=ubuntu debian\nvendor=GenuineIntel\next=yes\nkvm=yes\ninit=systemd\nnested=Y\n");
        expect(f).toEqual({ osId: "ubuntu", osFamily: "debian", cpuVendor: "intel", virtExtensions: true, kvmDevice: true, kvmModule: "kvm_intel", nestedEnabled: true, init: "systemd" });
    });
    it("reads a RHEL-family AMD host with nesting off and one without KVM", () => {
        expect(parseFacts("os=rocky rhel centos fedora\nvendor=AuthenticAMD\next=yes\nkvm=yes\nnested=0\n"))
            .toMatchObject({ osFamily: "rhel", kvmModule: "kvm_amd", nestedEnabled: false });
        expect(parseFacts("os=debian\nvendor=GenuineIntel\next=no\nkvm=no\ninit=sysv\nnested=\n"))
            .toMatchObject({ virtExtensions: false, kvmDevice: false, nestedEnabled: false, init: "sysv" });
    });
});
