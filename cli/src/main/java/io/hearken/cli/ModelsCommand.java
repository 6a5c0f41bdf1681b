package io.hearken.cli;

import static io.hearken.cli.HearkenCli.EXIT_ERROR;
import static io.hearken.cli.HearkenCli.EXIT_OK;

import io.hearken.error.HearkenException;
import io.hearken.inference.engine.ModelManifest;
import io.hearken.inference.engine.ModelPackage;
import io.hearken.inference.engine.store.Installed;
import io.hearken.inference.engine.store.ModelStore;
import io.hearken.inference.engine.store.StoredModel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/hearken models list|verify [ID]|install SOURCE [--id ID] [--sha256 HEX]}: the model packages on the
 * search path ({@code $HEARKEN_MODEL_PATH}, {@code ~/.hearken/models}, the project's {@code models/}, and
 * {@code ../shared/models}), and installing new ones into {@code ~/.hearken/models}. Errors are
 * {@link HearkenException}s, reported by the CLI's handler (CONFIG exits 2, others 3).
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List, verify and install model packages (search path: $HEARKEN_MODEL_PATH, ~/.hearken/models, "
                + "<project>/models, <project>/../shared/models).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Verify.class, ModelsCommand.Install.class})
public final class ModelsCommand extends CommandGroup {
    private final Supplier<ModelStore> stores;
    private ModelStore store;

    public ModelsCommand() {
        this(ModelStore::defaults);
    }

    /** With another store (tests). */
    ModelsCommand(Supplier<ModelStore> stores) {
        this.stores = stores;
    }

    synchronized ModelStore store() {
        if (store == null) {
            store = stores.get();
        }
        return store;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the models on the search path (reads manifests; use verify to check the files).")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelStore store = parent.store();
            List<StoredModel> models = store.list();
            if (models.isEmpty()) {
                out.println("no models on the search path " + store.searchPath().roots());
                out.flush();
                return EXIT_OK;
            }
            out.printf("%-24s %-10s %-8s %s%n", "ID", "VERSION", "STATUS", "LOCATION");
            for (StoredModel m : models) {
                String status = m.problem().isPresent() ? "problem" : m.hasManifest() ? "ok" : "no-manifest";
                String where = m.dir() + m.filesDir().filter(f -> !f.equals(m.dir()))
                        .map(f -> " (files in " + f + ")").orElse("");
                out.printf("%-24s %-10s %-8s %s%n", m.id(), m.version(), status, where);
                m.problem().ifPresent(p -> out.println("    " + p));
            }
            out.flush();
            return EXIT_OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check model packages fully: sha256, inputs and outputs against the manifest, labels.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(arity = "0..1", paramLabel = "ID", description = "The model to verify (default: every model).")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelStore store = parent.store();
            if (id != null) {
                ModelPackage p = store.verify(id); // a failure is the CLI's error (exit 3, CONFIG: 2)
                out.println(describe(p));
                out.flush();
                return EXIT_OK;
            }
            List<StoredModel> models = store.list();
            if (models.isEmpty()) {
                out.println("no models on the search path " + store.searchPath().roots());
                out.flush();
                return EXIT_OK;
            }
            int failed = 0;
            for (StoredModel m : models) {
                try {
                    out.println(describe(store.verify(m.id())));
                } catch (HearkenException e) {
                    failed++;
                    out.println(m.id() + ": FAILED: " + e.getMessage());
                }
            }
            out.flush();
            return failed == 0 ? EXIT_OK : EXIT_ERROR;
        }

        private static String describe(ModelPackage p) {
            ModelManifest m = p.manifest();
            String outputs = m.outputs().stream().map(o -> o.name() + "[" + o.dim() + "]"
                    + (o.isLogits() ? " " + o.activation().wireName() : "")).collect(Collectors.joining(", "));
            return p.id() + " " + m.version() + ": ok (sha256 " + m.sha256() + ", " + p.onnxFile()
                    + (p.isInferred() ? ", no manifest: inferred from the graph" : "") + "; outputs " + outputs
                    + m.logits().map(l -> "; " + p.labels().size() + " labels").orElse("") + ")";
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install a model package from a directory, a manifest (file or http(s) URL), a package URL "
                    + "ending in '/', or a bare ONNX file with --id naming a known manifest. The ONNX file's sha256 "
                    + "is checked against the manifest (and --sha256) before the package is moved into place "
                    + "atomically; a failed or partial download leaves nothing behind.")
    static final class Install implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "SOURCE", description = "Directory, manifest, http(s) URL or ONNX file.")
        String source;
        @Option(names = "--id", paramLabel = "ID", description = "Install under this id (default: the manifest's).")
        String id;
        @Option(names = "--sha256", paramLabel = "HEX", description = "Expected sha256 of the ONNX file.")
        String sha256;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelStore store = parent.store();
            Installed inst = store.install(source, Optional.ofNullable(id), Optional.ofNullable(sha256));
            out.println((inst.replaced() ? "replaced " : "installed ") + inst.id() + " " + inst.version()
                    + " (sha256 " + inst.sha256() + ") in " + inst.dir());
            out.flush();
            return EXIT_OK;
        }
    }
}
