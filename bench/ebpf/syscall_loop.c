/*
 * The traced workload of the eBPF overhead benchmark: one thread, a loopback TCP connection, and a loop of
 * (send SIZE bytes on one end, receive them on the other) with a chosen pair of syscalls. Prints
 * "KIND SIZE ns_per_syscall calls" on stdout.
 *
 *   syscall_loop rw|sendrecv|msg|vec SIZE SECONDS [CALLS_PER_SECOND]
 *
 * With CALLS_PER_SECOND the loop paces itself to that many syscalls per second (the sustained-rate test).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s rw|sendrecv|msg|vec SIZE SECONDS [CALLS_PER_SECOND]\n", argv[0]);
        return 2;
    }
    const char *kind = argv[1];
    size_t size = (size_t)atol(argv[2]);
    double seconds = atof(argv[3]);
    double rate = argc == 5 ? atof(argv[4]) : 0;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al))
        die("listen");
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
        die("connect");
    int s = accept(l, NULL, NULL);
    if (s < 0)
        die("accept");
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    char *out = malloc(size), *in = malloc(size);
    memset(out, 'x', size);
    int mode = !strcmp(kind, "rw") ? 0 : !strcmp(kind, "sendrecv") ? 1 : !strcmp(kind, "msg") ? 2 : !strcmp(kind, "vec") ? 3 : -1;
    if (mode < 0) {
        fprintf(stderr, "unknown kind %s\n", kind);
        return 2;
    }
    long long calls = 0;
    long long start = now_ns(), deadline = start + (long long)(seconds * 1e9), end;
    do {
        int batch = rate > 0 ? 16 : 256;
        if (rate > 0) {
            /* pace: the next batch starts when the calls so far are due */
            long long due = start + (long long)(calls / rate * 1e9);
            struct timespec t = {due / 1000000000LL, due % 1000000000LL};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
        }
        for (int k = 0; k < batch; k++) {
            /* two iovecs for the vectored and msg variants: the capture walks both */
            struct iovec ov[2] = {{out, size / 2}, {out + size / 2, size - size / 2}};
            struct iovec iv[2] = {{in, size / 2}, {in + size / 2, size - size / 2}};
            struct msghdr om = {.msg_iov = ov, .msg_iovlen = 2}, im = {.msg_iov = iv, .msg_iovlen = 2};
            ssize_t w, got = 0;
            switch (mode) {
            case 0: w = write(c, out, size); break;
            case 1: w = sendto(c, out, size, 0, NULL, 0); break;
            case 2: w = sendmsg(c, &om, 0); break;
            default: w = writev(c, ov, 2); break;
            }
            if (w != (ssize_t)size)
                die("send");
            calls++;
            while (got < (ssize_t)size) {
                ssize_t r;
                switch (mode) {
                case 0: r = read(s, in, size - got); break;
                case 1: r = recvfrom(s, in, size - got, 0, NULL, NULL); break;
                case 2: im.msg_iov = iv; im.msg_iovlen = 2; r = recvmsg(s, &im, 0); break;
                default: r = readv(s, iv, 2); break;
                }
                if (r <= 0)
                    die("recv");
                got += r;
                calls++;
            }
        }
        end = now_ns();
    } while (end < deadline);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
    printf("%s %zu %.1f %lld %.1f\n", kind, size, (double)(end - start) / calls, calls, cpu / calls);
    return 0;
}
