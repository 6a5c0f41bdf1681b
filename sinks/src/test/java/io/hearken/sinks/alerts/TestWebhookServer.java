package io.hearken.sinks.alerts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook receiver: one path per endpoint, each answering by a script of (key, attempt) -> reply. */
final class TestWebhookServer implements AutoCloseable {

    /** What the server saw: one per request, in arrival order. */
    record Received(String path, String idempotencyKey, int attempt, String contentType, String body) {
    }

    /** How to answer: a status and body, after optionally blocking (a slow handler). */
    record Reply(int status, String body, Map<String, String> headers, Runnable before) {
        static Reply of(int status) {
            return new Reply(status, "", Map.of(), () -> { });
        }

        static Reply of(int status, String body) {
            return new Reply(status, body, Map.of(), () -> { });
        }

        Reply after(Runnable blocking) {
            return new Reply(status, body, headers, blocking);
        }

        Reply withHeader(String name, String value) {
            return new Reply(status, body, Map.of(name, value), before);
        }
    }

    @FunctionalInterface
    interface Script {
        Reply reply(String key, int attempt);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-webhook-server");
        t.setDaemon(true);
        return t;
    });
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    TestWebhookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void route(String path, Script script) {
        server.createContext(path, exchange -> handle(path, script, exchange));
    }

    private void handle(String path, Script script, HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            int attempt = attempts.computeIfAbsent(path + " " + key, k -> new AtomicInteger()).incrementAndGet();
            received.add(new Received(path, key, attempt, exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Reply reply = script.reply(key, attempt);
            reply.before().run();
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (IOException e) {
            // the client gave up (timed out) before the reply: as with a real receiver, nothing to do
        }
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
