// What a lab host needs for libvirt/KVM, per distribution family. Seed 000
// also installs virt-manager, ssh-askpass-gnome, Ansible and pip's
// mysqlclient: the program replaces those (pulumi drives the host over SSH,
// virsh runs there, python3-openstackclient comes with the controller).
export const VIRT_PACKAGES: Record<"debian" | "rhel", string[]> = {
    debian: ["qemu-system-x86", "qemu-utils", "libvirt-daemon-system", "libvirt-clients", "dnsmasq-base", "genisoimage", "bridge-utils"],
    rhel: ["qemu-kvm", "qemu-img", "libvirt", "virt-install", "genisoimage"],
};

/** Added when systemd is not PID 1: Debian ships libvirt's SysV scripts apart. */
export const SYSV_PACKAGES: Record<"debian" | "rhel", string[]> = {
    debian: ["libvirt-daemon-system-sysv"],
    rhel: [],
};

export const VIRT_SERVICES: Record<"debian" | "rhel", string[]> = {
    debian: ["virtlogd", "libvirtd"],
    rhel: ["virtlogd", "libvirtd"],
};

/** Seed 000 section 3: routing between the lab networks and netfilter on bridges. */
export const HOST_SYSCTLS: Record<string, string> = {
    "net.ipv4.ip_forward": "1",
};

export const BRIDGE_NF_SYSCTLS: Record<string, string> = {
    "net.bridge.bridge-nf-call-ip6tables": "1",
    "net.bridge.bridge-nf-call-iptables": "1",
    "net.bridge.bridge-nf-call-arptables": "1",
};
