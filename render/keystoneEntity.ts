// A Python program run on the controller with `python3 -c` to make sure a
// Keystone project, or a user with a role on a project, exists; or, with
// `check`, to exit 1 when it does not. Passwords arrive on stdin (admin's
// first, the user's second), never on a command line.
//   python3 -c PROGRAM AUTH_URL ensure|check|delete project NAME DESCRIPTION
//   python3 -c PROGRAM AUTH_URL ensure|check|delete user NAME PROJECT ROLE
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

if kind == "token":
    # Getting here needed a token for admin: the check passes when listing works.
    ks.projects.list()
    sys.exit(0)
elif kind == "project":
    description = sys.argv[5]
    p = one(ks.projects, name, domain="default")
    if action == "delete":
        if p is not None:
            ks.projects.delete(p)
        sys.exit(0)
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
        if user is not None:
            ks.users.delete(user)
        sys.exit(0)
    if action == "check":
        if not (user and project and role):
            sys.exit(1)
        try:
            v3.Password(auth_url=url, username=name, password=password, project_name=project_name,
                        user_domain_id="default", project_domain_id="default").get_token(session.Session())
        except Exception:
            sys.exit(1)
        sys.exit(0)
    if project is None or role is None:
        sys.exit("project %s or role %s missing" % (project_name, role_name))
    if user is None:
        user = ks.users.create(name=name, domain="default", password=password, default_project=project)
    else:
        ks.users.update(user, password=password)
    ks.roles.grant(role, user=user, project=project)
else:
    sys.exit("unknown kind " + kind)
`;
