package org.deeptrace.golden.dubbo;

/** Not in security/serialize.allowlist: the provider cannot send it back and answers with status 50. */
public class SecretException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
        super(message);
    }
}
