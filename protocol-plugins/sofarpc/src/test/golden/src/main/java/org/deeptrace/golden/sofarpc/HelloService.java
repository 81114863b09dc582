package org.deeptrace.golden.sofarpc;

public interface HelloService {
    String sayHello(String name);

    int add(int a, int b);

    /** Always throws {@link HelloException}: a business exception in a successful Bolt response. */
    String fail(String why);

    /** Answers after {@code millis}: concurrent calls with falling delays come back out of order. */
    String slow(String name, int millis);
}
