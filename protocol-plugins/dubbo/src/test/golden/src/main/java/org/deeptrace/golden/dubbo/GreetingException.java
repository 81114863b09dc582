package org.deeptrace.golden.dubbo;

public class GreetingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GreetingException(String message) {
        super(message);
    }
}
