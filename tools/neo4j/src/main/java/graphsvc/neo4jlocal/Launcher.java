package graphsvc.neo4jlocal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a Neo4j 5.26 Community DBMS (system + "neo4j" databases) with the Bolt connector
 * on a loopback address, until SIGTERM/SIGINT.
 *
 * <pre>
 * java -jar neo4j-local.jar --home DIR --port PORT [--host 127.0.0.1] [--auth true|false]
 *      [--pagecache 512m] [--ready-file PATH] [--conf neo4j.conf]
 * </pre>
 *
 * With auth enabled, the password of user "neo4j" is set from the environment variable
 * NEO4J_PASSWORD (never from the command line, so it does not show in ps). When the DBMS is
 * up (and the password set), the port number is written to the ready file; the file is
 * removed again on shutdown. Exit codes: 0 clean shutdown, 2 usage error, 3 start failure,
 * 4 port already in use.
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) {
        Map<String, String> opts;
        try {
            opts = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path home = Path.of(opts.getOrDefault("home", ".neo4j-local")).toAbsolutePath();
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "7687"));
        boolean auth = parseBool(opts.getOrDefault("auth", "false"));
        long pageCache = ByteUnit.parse(opts.getOrDefault("pagecache", "512m"));
        Path readyFile = opts.containsKey("ready-file") ? Path.of(opts.get("ready-file")) : null;
        Path conf = opts.containsKey("conf") ? Path.of(opts.get("conf")) : null;
        String password = System.getenv("NEO4J_PASSWORD");

        PrintStream out = System.out;
        out.printf("neo4j-local: Neo4j %s Community, home=%s, bolt=%s:%d, auth=%s, pagecache=%s%n",
                neo4jVersion(), home, host, port, auth, opts.getOrDefault("pagecache", "512m"));
        out.flush();
        if (auth && (password == null || password.isEmpty())) {
            System.err.println("neo4j-local: auth is enabled but NEO4J_PASSWORD is not set");
            System.exit(2);
        }

        if (readyFile != null) {
            try {
                Files.deleteIfExists(readyFile);
            } catch (IOException e) {
                System.err.println("neo4j-local: cannot remove " + readyFile + ": " + e);
            }
        }

        Instant t0 = Instant.now();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (conf != null && Files.isRegularFile(conf)) {
            builder.loadPropertiesFromFile(conf);
        }
        builder.setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                // Development/CI server: keep transaction logs small.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
                // Stop quickly: the defaults wait 5 s per Bolt connector for idle clients.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(3));

        final DatabaseManagementService dbms;
        try {
            dbms = builder.build();
        } catch (RuntimeException e) {
            boolean bind = causedByBind(e);
            System.err.println(bind
                    ? "neo4j-local: BIND_FAILED: " + host + ":" + port + " is already in use"
                    : "neo4j-local: failed to start Neo4j: " + e);
            e.printStackTrace(System.err);
            System.exit(bind ? 4 : 3);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j-local: shutting down");
            System.out.flush();
            try {
                if (readyFile != null) {
                    Files.deleteIfExists(readyFile);
                }
            } catch (IOException ignored) {
                // best effort
            }
            try {
                dbms.shutdown();
            } finally {
                System.out.println("neo4j-local: stopped");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-local-shutdown"));

        try {
            // Make sure the default database is really available before announcing readiness.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                    .executeTransactionally("RETURN 1");
            if (auth) {
                setPassword(dbms, password);
            }
            if (readyFile != null) {
                Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
                Files.writeString(tmp, port + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (Exception e) {
            System.err.println("neo4j-local: Neo4j started but initialisation failed: " + e);
            e.printStackTrace(System.err);
            System.exit(3); // runs the shutdown hook
            return;
        }
        out.printf("neo4j-local: READY bolt://%s:%d (started in %d ms)%n",
                host, port, Duration.between(t0, Instant.now()).toMillis());
        out.flush();

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            System.out.println("neo4j-local: password of user neo4j set from NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("cannot be the same")) {
                // Already this password (data directory reused): only clear "change required".
                dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
                System.out.println("neo4j-local: password of user neo4j unchanged");
            } else {
                throw e;
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.net.BindException || m.contains("Address already in use")
                    || m.contains("already in use")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String neo4jVersion() {
        try {
            return org.neo4j.kernel.internal.Version.getNeo4jVersion();
        } catch (RuntimeException | LinkageError e) {
            return "5.26";
        }
    }

    private static boolean parseBool(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "1": case "true": case "yes": case "on":
                return true;
            case "0": case "false": case "no": case "off": case "":
                return false;
            default:
                throw new IllegalArgumentException("not a boolean: " + s);
        }
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                value = args[++i];
            }
            switch (key) {
                case "home": case "host": case "port": case "auth": case "pagecache":
                case "ready-file": case "conf":
                    m.put(key, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        return m;
    }
}
