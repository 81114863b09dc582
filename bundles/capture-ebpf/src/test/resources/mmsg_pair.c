/* Test helper for MmsgCaptureTest: two connected UDP sockets on loopback; after a line on stdin, sendmmsg of
 * three messages ("one", "two", "three") from A to B and recvmmsg of them on B. Prints "A_PORT B_PORT". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int udp(struct sockaddr_in *a)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t l = sizeof(*a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = 0;
    if (s < 0 || bind(s, (struct sockaddr *)a, sizeof(*a)) || getsockname(s, (struct sockaddr *)a, &l))
        return -1;
    return s;
}

int main(void)
{
    struct sockaddr_in aa, ba;
    int a = udp(&aa), b = udp(&ba);
    if (a < 0 || b < 0 || connect(a, (struct sockaddr *)&ba, sizeof(ba)) || connect(b, (struct sockaddr *)&aa, sizeof(aa))) {
        perror("udp");
        return 1;
    }
    char line[16];
    if (!fgets(line, sizeof(line), stdin))
        return 1;
    const char *words[3] = {"one", "two", "three"};
    struct iovec out[3];
    struct mmsghdr sm[3];
    memset(sm, 0, sizeof(sm));
    for (int i = 0; i < 3; i++) {
        out[i].iov_base = (void *)words[i];
        out[i].iov_len = strlen(words[i]);
        sm[i].msg_hdr.msg_iov = &out[i];
        sm[i].msg_hdr.msg_iovlen = 1;
    }
    if (sendmmsg(a, sm, 3, 0) != 3) {
        perror("sendmmsg");
        return 1;
    }
    char bufs[3][64];
    struct iovec in[3];
    struct mmsghdr rm[3];
    memset(rm, 0, sizeof(rm));
    for (int i = 0; i < 3; i++) {
        in[i].iov_base = bufs[i];
        in[i].iov_len = sizeof(bufs[i]);
        rm[i].msg_hdr.msg_iov = &in[i];
        rm[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(b, rm, 3, MSG_WAITFORONE, NULL);
    while (n > 0 && n < 3) {
        int m = recvmmsg(b, rm + n, 3 - n, 0, NULL);
        if (m <= 0)
            break;
        n += m;
    }
    if (n != 3) {
        perror("recvmmsg");
        return 1;
    }
    printf("%d %d\n", ntohs(aa.sin_port), ntohs(ba.sin_port));
    return 0;
}
