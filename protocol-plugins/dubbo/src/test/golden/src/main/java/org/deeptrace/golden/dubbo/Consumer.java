package org.deeptrace.golden.dubbo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.service.GenericService;

/**
 * Calls the provider directly (no registry): normal calls, a business exception, a missing method (generic call),
 * a missing service (error status), eight concurrent calls on the one shared connection whose answers come back
 * in reverse order, then stays idle so that heartbeats flow.
 */
public final class Consumer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 20880;
        String url = "dubbo://127.0.0.1:" + port + "?serialization=hessian2&heartbeat=1000";
        ApplicationConfig app = new ApplicationConfig("golden-consumer");
        app.setQosEnable(false);

        ReferenceConfig<GreetingService> greeting = new ReferenceConfig<>();
        greeting.setInterface(GreetingService.class);
        greeting.setVersion("1.0.0");
        greeting.setUrl(url);
        greeting.setTimeout(10_000);
        greeting.setRetries(0);
        greeting.setCheck(false);

        ReferenceConfig<GenericService> sameServiceGeneric = new ReferenceConfig<>();
        sameServiceGeneric.setInterface(GreetingService.class.getName());
        sameServiceGeneric.setGeneric("true");
        sameServiceGeneric.setVersion("1.0.0");
        sameServiceGeneric.setUrl(url);
        sameServiceGeneric.setRetries(0);

        ReferenceConfig<GenericService> missingService = new ReferenceConfig<>();
        missingService.setInterface("org.deeptrace.golden.dubbo.MissingService");
        missingService.setGeneric("true");
        missingService.setUrl(url);
        missingService.setCheck(false);
        missingService.setRetries(0);

        DubboBootstrap.getInstance()
                .application(app)
                .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
                .reference(greeting)
                .reference(sameServiceGeneric)
                .reference(missingService)
                .start();

        GreetingService s = greeting.get();
        System.out.println(whenConnected(() -> s.sayHello("dubbo")));
        System.out.println(whenConnected(() -> s.add(40, 2)));
        System.out.println(whenConnected(() -> s.sayHello("\u00fcber \u4e16\u754c")));
        try {
            whenConnected(() -> s.fail("no reason"));
        } catch (RuntimeException e) {
            System.out.println("business exception: " + e.getClass().getName() + ": " + e.getMessage());
        }
        try {
            whenConnected(() -> s.failUnserializable("hidden"));
        } catch (RuntimeException e) {
            System.out.println("unserializable exception: " + e.getClass().getName());
        }
        try {
            whenConnected(() -> sameServiceGeneric.get().$invoke("noSuchMethod", new String[] {"java.lang.String"},
                    new Object[] {"x"}));
        } catch (RuntimeException e) {
            System.out.println("missing method: " + e.getClass().getName());
        }
        try {
            whenConnected(() -> missingService.get().$invoke("anything", new String[0], new Object[0]));
        } catch (RuntimeException e) {
            System.out.println("missing service: " + e.getClass().getName());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8); // the common pool has one thread on two cores
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int millis = 400 - 50 * i;
            String name = "c" + i;
            calls.add(CompletableFuture.supplyAsync(() -> whenConnected(() -> s.slow(name, millis)), pool));
        }
        for (CompletableFuture<String> c : calls) {
            System.out.println(c.get());
        }
        Thread.sleep(3500); // idle: heartbeats
        System.out.println(whenConnected(() -> s.sayHello("bye")));
        DubboBootstrap.getInstance().stop();
        System.out.println("CONSUMER DONE");
        System.exit(0);
    }

    /**
     * Dubbo 3 marks a direct-URL invoker unavailable while its connection is (re)checked, and then fails calls
     * locally with "No provider available" without sending anything: such calls are simply tried again.
     */
    private static <T> T whenConnected(Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (RpcException e) {
                if (attempt >= 100 || e.getMessage() == null || !e.getMessage().contains("No provider available")) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
