/*
 * Unconnected UDP between two sockets on 127.0.0.1, for UnconnectedUdpCaptureTest: the peer of every call is only
 * in the call's own address argument. After "go" on stdin: A sendto B "ping"; B recvfrom; B sendmsg A "pong" (with
 * msg_name); A recvmsg (msg_name filled); A sendmmsg B "m1","m2" (a msg_name each); B recvmmsg. Prints
 * "PORT_A PORT_B".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int bound(struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t len = sizeof(*addr);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) || getsockname(fd, (struct sockaddr *)addr, &len))
        return -1;
    return fd;
}

int main(void)
{
    struct sockaddr_in a, b, from;
    int fa = bound(&a), fb = bound(&b);
    char line[8], buf[64];
    if (fa < 0 || fb < 0 || !fgets(line, sizeof(line), stdin))
        return 1;

    if (sendto(fa, "ping", 4, 0, (struct sockaddr *)&b, sizeof(b)) != 4)
        return 2;
    socklen_t fromlen = sizeof(from);
    if (recvfrom(fb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen) != 4)
        return 3;

    struct iovec iov = { .iov_base = "pong", .iov_len = 4 };
    struct msghdr out = { .msg_name = &from, .msg_namelen = fromlen, .msg_iov = &iov, .msg_iovlen = 1 };
    if (sendmsg(fb, &out, 0) != 4)
        return 4;
    struct sockaddr_in peer;
    struct iovec in_iov = { .iov_base = buf, .iov_len = sizeof(buf) };
    struct msghdr in = { .msg_name = &peer, .msg_namelen = sizeof(peer), .msg_iov = &in_iov, .msg_iovlen = 1 };
    if (recvmsg(fa, &in, 0) != 4)
        return 5;

    struct iovec m_iov[2] = { { "m1", 2 }, { "m2", 2 } };
    struct mmsghdr m[2];
    memset(m, 0, sizeof(m));
    for (int i = 0; i < 2; i++) {
        m[i].msg_hdr.msg_name = &b;
        m[i].msg_hdr.msg_namelen = sizeof(b);
        m[i].msg_hdr.msg_iov = &m_iov[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    if (sendmmsg(fa, m, 2, 0) != 2)
        return 6;
    char r0[16], r1[16];
    struct sockaddr_in n0, n1;
    struct iovec r_iov[2] = { { r0, sizeof(r0) }, { r1, sizeof(r1) } };
    struct mmsghdr r[2];
    memset(r, 0, sizeof(r));
    r[0].msg_hdr.msg_name = &n0;
    r[1].msg_hdr.msg_name = &n1;
    for (int i = 0; i < 2; i++) {
        r[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
        r[i].msg_hdr.msg_iov = &r_iov[i];
        r[i].msg_hdr.msg_iovlen = 1;
    }
    if (recvmmsg(fb, r, 2, MSG_WAITFORONE, NULL) < 1)
        return 7;
    printf("%d %d\n", ntohs(a.sin_port), ntohs(b.sin_port));
    return 0;
}
