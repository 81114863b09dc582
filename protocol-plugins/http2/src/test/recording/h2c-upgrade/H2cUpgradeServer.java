import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 server that speaks HTTP/1.1 and upgrades to cleartext HTTP/2 on {@code Upgrade: h2c} (RFC 7540
 * section 3.2), for recording golden traffic: {@code java -cp <jetty jars> H2cUpgradeServer.java PORT}.
 * GET /hello answers 200, /missing 404, anything else 200 with the path; POST bodies are read and echoed in size.
 */
public class H2cUpgradeServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                int status = path.equals("/missing") ? 404 : 200;
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                String text = request.getConnectionMetaData().getProtocol() + " " + request.getMethod() + " " + path
                        + " body=" + body.length() + "\n";
                Content.Sink.write(response, true, text, callback);
                return true;
            }
        });
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
        server.join();
    }
}
