// A Python program run on the controller with `python3 -c` to make sure a
// Keystone project, or a user with a role on a project, exists; or, with
// `check`, to exit 1 when it does not. Passwords arrive on stdin (admin's
// first, the user's second), never on a command line.
//   python3 -c PROGRAM AUTH_URL ensure|check|delete project NAME DESCRIPTION
//   python3 -c PROGRAM AUTH_URL ensure|check|delete user NAME PROJECT ROLE
//   python3 -c PROGRAM AUTH_URL ensure|check|delete service NAME TYPE DESCRIPTION URL REGION
//   python3 -c PROGRAM AUTH_URL ensure|check|delete role NAME
//   python3 -c PROGRAM AUTH_URL ensure|check|delete domain NAME DESCRIPTION
//   python3 -c PROGRAM AUTH_URL ensure|check|delete domainadmin NAME DOMAIN ROLE
//   python3 -c PROGRAM AUTH_URL check token admin
export const KEYSTONE_ENTITY_PY = String.raw`
import sys
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

url, action, kind, name = sys.argv[1:5]
admin_pw = sys.stdin.readline().rstrip("\n")
auth = v3.Password(auth_url=url, username="admin", password=admin_pw, project_name="admin",
                   user_domain_id="default", project_domain_id="default")
ks = client.Client(session=session.Session(auth=auth))

def one(manager, name, **kw):
    found = manager.list(name=name, **kw)
    return found[0] if found else None

def exit_by_login(found, **scope):
    # A check passes when the entities are there and the password still logs in.
    if not found:
        sys.exit(1)
    try:
        v3.Password(auth_url=url, username=name, password=password, **scope).get_token(session.Session())
    except Exception:
        sys.exit(1)
    sys.exit(0)

def delete_and_exit(manager, entity):
    if entity is not None:
        manager.delete(entity)
    sys.exit(0)

if kind == "token":
    # Getting here needed a token for admin: the check passes when listing works.
    ks.projects.list()
    sys.exit(0)
elif kind == "project":
    description = sys.argv[5]
    p = one(ks.projects, name, domain="default")
    if action == "delete":
        delete_and_exit(ks.projects, p)
    if action == "check":
        sys.exit(0 if p and p.description == description else 1)
    if p is None:
        ks.projects.create(name=name, domain="default", description=description)
    elif p.description != description:
        ks.projects.update(p, description=description)
elif kind == "user":
    project_name, role_name = sys.argv[5:7]
    password = sys.stdin.readline().rstrip("\n")
    project = one(ks.projects, project_name, domain="default")
    role = one(ks.roles, role_name)
    user = one(ks.users, name, domain="default")
    if action == "delete":
        delete_and_exit(ks.users, user)
    if action == "check":
        exit_by_login(user and project and role, project_name=project_name,
                      user_domain_id="default", project_domain_id="default")
    if project is None or role is None:
        sys.exit("project %s or role %s missing" % (project_name, role_name))
    if user is None:
        user = ks.users.create(name=name, domain="default", password=password, default_project=project)
    else:
        ks.users.update(user, password=password)
    ks.roles.grant(role, user=user, project=project)
elif kind == "service":
    # A service in the catalog with its public, internal and admin endpoints at one URL.
    service_type, description, endpoint_url, region = sys.argv[5:9]
    svc = one(ks.services, name)
    if action == "delete":
        if svc is not None:
            for e in ks.endpoints.list(service=svc):
                ks.endpoints.delete(e)
            ks.services.delete(svc)
        sys.exit(0)
    found = {}
    if svc is not None:
        for e in ks.endpoints.list(service=svc):
            found[e.interface] = e
    wanted = ("public", "internal", "admin")
    if action == "check":
        ok = svc is not None and svc.type == service_type and all(
            i in found and found[i].url == endpoint_url and found[i].region == region for i in wanted)
        sys.exit(0 if ok else 1)
    if svc is None:
        svc = ks.services.create(name=name, type=service_type, description=description)
    elif svc.type != service_type or getattr(svc, "description", "") != description:
        svc = ks.services.update(svc, type=service_type, description=description)
    for i in wanted:
        e = found.get(i)
        if e is None:
            ks.endpoints.create(service=svc, url=endpoint_url, interface=i, region=region)
        elif e.url != endpoint_url or e.region != region:
            ks.endpoints.update(e, url=endpoint_url, region=region)
elif kind == "role":
    r = one(ks.roles, name)
    if action == "delete":
        delete_and_exit(ks.roles, r)
    if action == "check":
        sys.exit(0 if r else 1)
    if r is None:
        ks.roles.create(name=name)
elif kind == "domain":
    description = sys.argv[5]
    d = one(ks.domains, name)
    if action == "delete":
        # Keystone deletes only disabled domains.
        if d is not None:
            ks.domains.update(d, enabled=False)
        delete_and_exit(ks.domains, d)
    if action == "check":
        sys.exit(0 if d and d.enabled and d.description == description else 1)
    if d is None:
        ks.domains.create(name=name, description=description)
    else:
        ks.domains.update(d, description=description, enabled=True)
elif kind == "domainadmin":
    # A user of a domain with a role on that domain (Heat's stack domain admin).
    domain_name, role_name = sys.argv[5:7]
    password = sys.stdin.readline().rstrip("\n")
    domain = one(ks.domains, domain_name)
    role = one(ks.roles, role_name)
    user = one(ks.users, name, domain=domain) if domain else None
    if action == "delete":
        delete_and_exit(ks.users, user)
    if action == "check":
        exit_by_login(user and role, user_domain_name=domain_name, domain_name=domain_name)
    if domain is None or role is None:
        sys.exit("domain %s or role %s missing" % (domain_name, role_name))
    if user is None:
        user = ks.users.create(name=name, domain=domain, password=password)
    else:
        ks.users.update(user, password=password)
    ks.roles.grant(role, user=user, domain=domain)
else:
    sys.exit("unknown kind " + kind)
`;
