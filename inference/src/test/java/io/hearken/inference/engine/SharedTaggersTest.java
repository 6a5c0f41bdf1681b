package io.hearken.inference.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedTaggersTest {

    @Test
    void oneSessionPerDirectoryClosedByTheLastRelease() {
        Path dir = Fixtures.modelDir();
        AudioTagger a = SharedTaggers.acquire(dir, EngineSettings.cpu(1));
        // the same directory spelled differently maps to the same session
        AudioTagger b = SharedTaggers.acquire(dir.resolve("../efficientat-mn04"), EngineSettings.cpu(1));
        assertThat(b).isSameAs(a);
        assertThat(SharedTaggers.references(dir)).isEqualTo(2);
        SharedTaggers.release(dir);
        assertThat(a.isClosed()).isFalse();
        SharedTaggers.release(dir);
        assertThat(a.isClosed()).isTrue();
        assertThat(SharedTaggers.references(dir)).isZero();
        assertThatThrownBy(() -> SharedTaggers.release(dir)).hasMessageContaining("without a matching acquire");

        AudioTagger c = SharedTaggers.acquire(dir, EngineSettings.cpu(1)); // reloads after a full release
        assertThat(c).isNotSameAs(a);
        SharedTaggers.release(dir);
    }

    @Test
    void concurrentAcquireSharesOneInstance() throws Exception {
        Path dir = Fixtures.modelDir();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AudioTagger>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return SharedTaggers.acquire(dir, EngineSettings.cpu(1));
                }));
            }
            start.countDown();
            Set<AudioTagger> seen = ConcurrentHashMap.newKeySet();
            for (Future<AudioTagger> f : fs) {
                seen.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(1);
            assertThat(SharedTaggers.references(dir)).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                SharedTaggers.release(dir);
            }
            assertThat(seen.iterator().next().isClosed()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
