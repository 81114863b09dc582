package org.deeptrace.golden.dubbo;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/** Exports GreetingService 1.0.0 over dubbo://127.0.0.1:20880 with Hessian2, no registry. Runs until killed. */
public final class Provider {
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 20880;
        ApplicationConfig app = new ApplicationConfig("golden-provider");
        app.setQosEnable(false);
        ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
        protocol.setHost("127.0.0.1");
        protocol.setSerialization("hessian2");
        ServiceConfig<GreetingService> service = new ServiceConfig<>();
        service.setInterface(GreetingService.class);
        service.setRef(new GreetingServiceImpl());
        service.setVersion("1.0.0");
        DubboBootstrap.getInstance()
                .application(app)
                .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
                .protocol(protocol)
                .service(service)
                .start();
        System.out.println("PROVIDER READY");
        DubboBootstrap.getInstance().await();
    }

    static final class GreetingServiceImpl implements GreetingService {
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
            throw new GreetingException("refused: " + why);
        }

        @Override
        public String failUnserializable(String why) {
            throw new SecretException("secret: " + why);
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
