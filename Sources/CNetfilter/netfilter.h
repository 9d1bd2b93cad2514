// Order matters: <linux/netfilter*.h> clash with Glibc's struct in6_addr unless the socket
// headers come first (a cold build fails, an incremental one may pass by luck).
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/gen.h>
#include <libnftnl/udata.h>

// setns(2) is declared by <sched.h> only under _GNU_SOURCE, which Swift's Glibc module is built
// without; ztpol needs it to open its netlink socket inside a named network namespace.
int setns(int fd, int nstype);
