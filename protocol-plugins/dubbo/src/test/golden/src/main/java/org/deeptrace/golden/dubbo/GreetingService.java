package org.deeptrace.golden.dubbo;

public interface GreetingService {
    String sayHello(String name);

    int add(int a, int b);

    /** Always throws {@link GreetingException}: a business exception travels back in an OK response. */
    String fail(String why);

    /** Throws {@link SecretException}, which Hessian2 may not serialize: the provider answers status 50. */
    String failUnserializable(String why);

    /** Answers after {@code millis}: concurrent calls with falling delays come back out of order. */
    String slow(String name, int millis);
}
