package io.hearken.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Test sink: every subtask adds what it receives to a JVM-wide queue named by the sink (MiniCluster runs in this JVM). */
final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ConcurrentLinkedQueue<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String name;

    CollectingSink(String name) {
        this.name = name;
        RECEIVED.put(name, new ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("unchecked")
    List<T> received() {
        return new ArrayList<>((ConcurrentLinkedQueue<T>) (ConcurrentLinkedQueue<?>) RECEIVED.get(name));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        ConcurrentLinkedQueue<Object> queue = RECEIVED.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
