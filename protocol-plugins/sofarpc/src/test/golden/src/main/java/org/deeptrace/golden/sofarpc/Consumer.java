package org.deeptrace.golden.sofarpc;

import com.alipay.sofa.rpc.config.ConsumerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the provider directly over Bolt: normal calls, a business exception, a missing service, eight concurrent
 * calls on the one connection whose answers come back in reverse order, then idles so that heartbeats may flow.
 */
public final class Consumer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 12200;
        String url = "bolt://127.0.0.1:" + port;
        HelloService s = new ConsumerConfig<HelloService>()
                .setInterfaceId(HelloService.class.getName())
                .setProtocol("bolt")
                .setDirectUrl(url)
                .setTimeout(10_000)
                .setRegister(false)
                .refer();
        System.out.println(s.sayHello("sofa"));
        System.out.println(s.add(40, 2));
        System.out.println(s.sayHello("\u00fcber \u4e16\u754c"));
        try {
            s.fail("no reason");
        } catch (HelloException e) {
            System.out.println("business exception: " + e.getMessage());
        }
        MissingService missing = new ConsumerConfig<MissingService>()
                .setInterfaceId(MissingService.class.getName())
                .setProtocol("bolt")
                .setDirectUrl(url)
                .setTimeout(10_000)
                .setRegister(false)
                .refer();
        try {
            missing.anything("x");
        } catch (RuntimeException e) {
            System.out.println("missing service: " + e.getClass().getName() + ": " + e.getMessage());
        }
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int millis = 400 - 50 * i;
            String name = "c" + i;
            calls.add(CompletableFuture.supplyAsync(() -> s.slow(name, millis)));
        }
        for (CompletableFuture<String> c : calls) {
            System.out.println(c.get());
        }
        Thread.sleep(Long.getLong("golden.idleMillis", 3500)); // idle: heartbeats, if bolt sends them
        System.out.println(s.sayHello("bye"));
        System.out.println("CONSUMER DONE");
        System.exit(0);
    }
}
