package org.deeptrace.golden.sofarpc;

import com.alipay.sofa.rpc.config.ProviderConfig;
import com.alipay.sofa.rpc.config.ServerConfig;

/** Exports HelloService over bolt://127.0.0.1:12200 (Hessian2), no registry. Runs until killed. */
public final class Provider {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 12200;
        ServerConfig server = new ServerConfig().setProtocol("bolt").setHost("127.0.0.1").setPort(port)
                .setDaemon(false);
        ProviderConfig<HelloService> provider = new ProviderConfig<HelloService>()
                .setInterfaceId(HelloService.class.getName())
                .setRef(new HelloServiceImpl())
                .setServer(server)
                .setRegister(false);
        provider.export();
        System.out.println("PROVIDER READY");
        Thread.currentThread().join();
    }

    static final class HelloServiceImpl implements HelloService {
        @Override
        public String sayHello(String name) {
            return "Hello, " + name;
        }

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public String fail(String why) {
            throw new HelloException("refused: " + why);
        }

        @Override
        public String slow(String name, int millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return name + " after " + millis + " ms";
        }
    }
}
