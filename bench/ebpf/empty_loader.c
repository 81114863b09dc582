/* Loads and attaches every program of a BPF object, prints "attached N", and holds them until killed. */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct bpf_object *o = bpf_object__open_file(argv[1], NULL);
    if (libbpf_get_error(o) || bpf_object__load(o)) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    struct bpf_program *p;
    int n = 0;
    bpf_object__for_each_program(p, o) {
        if (libbpf_get_error(bpf_program__attach(p))) {
            fprintf(stderr, "cannot attach %s\n", bpf_program__name(p));
            return 1;
        }
        n++;
    }
    printf("attached %d\n", n);
    fflush(stdout);
    pause();
    return 0;
}
