package io.glaux.catalog.embedded;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * The class loader the embedded Hive metastore server runs in.
 *
 * <p>Why: the Hive 4.0.1 server class {@code HiveMetaStore} (which every server-side class reaches)
 * cannot even be linked without Jetty 9.4's server, servlet and security classes and the
 * {@code javax.servlet} API (the bytecode verifier loads them for its optional HTTP endpoints):
 * without Jetty, {@code NoClassDefFoundError: org/eclipse/jetty/util/thread/ThreadPool}; with Jetty 12,
 * {@code NoClassDefFoundError: org/eclipse/jetty/security/ConstraintSecurityHandler}; without the
 * servlet API, {@code NoClassDefFoundError: javax/servlet/Servlet}. Glaux's own HTTP server is Jetty 12
 * (jakarta servlets), and the two Jettys share package names, so they cannot share a class path.
 *
 * <p>What: this loader defines its own copies of
 * <ul>
 * <li>Jetty 9.4 ({@code org.eclipse.jetty.*}) and the servlet 3.1 API ({@code javax.servlet.*}), from
 *     jars bundled inside this module under {@code io/glaux/catalog/embedded/bundled/}; they are never
 *     on the application class path;</li>
 * <li>Hive ({@code org.apache.hadoop.hive.*}, {@code org.apache.hive.*}), Thrift and fb303 (Hive's
 *     servlet-based Thrift transport extends them), and DataNucleus with the JDO API
 *     ({@code org.datanucleus.*}, {@code javax.jdo.*}), whose static registries of persistent classes
 *     would otherwise be shared by every metastore of the JVM (a later one then picks up an earlier
 *     one's model classes by name: {@code ClassCastException: class ...model.MDatabase cannot be cast
 *     to class ...model.MDatabase}). These come from the same bytes the parent loader sees, so it works
 *     whatever the jar layout, fat jar included.</li>
 * </ul>
 * Everything else (Hadoop, Derby, the connection pool, logging, Glaux) comes from the parent and is
 * shared with the application. The application's Hive client (parent) and the server (here) have
 * separate copies of the Thrift API classes and only talk over the socket.
 *
 * <p>A fresh loader per start gives each start fresh Hive and DataNucleus static state, so metastores
 * can restart, and run side by side on different data directories, in one JVM.
 */
final class MetastoreClassLoader
        extends ClassLoader
{
    static {
        registerAsParallelCapable();
    }

    private static final String[] BUNDLED_JARS = {
            "jetty-util", "jetty-io", "jetty-http", "jetty-server", "jetty-security", "jetty-servlet", "javax.servlet-api"};
    private static final String BUNDLED_DIRECTORY = "io/glaux/catalog/embedded/bundled/";

    private final Map<String, byte[]> bundledClasses = new HashMap<>();
    private final Map<String, byte[]> bundledResources = new HashMap<>();
    private final ProtectionDomain bundledDomain;
    private final Map<URL, ProtectionDomain> domains = new ConcurrentHashMap<>();

    MetastoreClassLoader(ClassLoader parent)
    {
        super("glaux-embedded-metastore", parent);
        readBundledJars(parent);
        this.bundledDomain = new ProtectionDomain(new CodeSource(parent.getResource(BUNDLED_DIRECTORY + "jetty-server.jar"), (Certificate[]) null), null, this, null);
    }

    static boolean isBundled(String name)
    {
        return name.startsWith("org.eclipse.jetty.") || name.startsWith("javax.servlet.");
    }

    private static boolean isBundledResource(String path)
    {
        return path.startsWith("org/eclipse/jetty/") || path.startsWith("javax/servlet/");
    }

    static boolean isIsolated(String name)
    {
        return name.startsWith("org.apache.hadoop.hive.")
                || name.startsWith("org.apache.hive.")
                || name.startsWith("org.apache.thrift.")
                || name.startsWith("com.facebook.fb303.")
                || name.startsWith("org.datanucleus.")
                || name.startsWith("javax.jdo.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve)
            throws ClassNotFoundException
    {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (isBundled(name)) {
                    loaded = defineBundled(name);
                }
                else if (isIsolated(name)) {
                    loaded = defineFromParent(name);
                }
                else {
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** Bundled resources ({@code javax/servlet/LocalStrings.properties}, ...) first, then the parent's. */
    @Override
    public URL getResource(String name)
    {
        URL bundled = findResource(name);
        return bundled != null ? bundled : super.getResource(name);
    }

    @Override
    protected URL findResource(String name)
    {
        byte[] bytes = isBundledResource(name) ? bundledResources.get(name) : null;
        if (bytes == null) {
            return null;
        }
        try {
            return URL.of(URI.create("glaux-bundled:/" + name), new URLStreamHandler()
            {
                @Override
                protected URLConnection openConnection(URL url)
                {
                    return new URLConnection(url)
                    {
                        @Override
                        public void connect()
                        {
                        }

                        @Override
                        public InputStream getInputStream()
                        {
                            return new ByteArrayInputStream(bytes);
                        }
                    };
                }
            });
        }
        catch (IOException e) {
            return null;
        }
    }

    private Class<?> defineBundled(String name)
            throws ClassNotFoundException
    {
        byte[] bytes = bundledClasses.get(name.replace('.', '/') + ".class");
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length, bundledDomain);
    }

    private Class<?> defineFromParent(String name)
            throws ClassNotFoundException
    {
        String path = name.replace('.', '/') + ".class";
        URL resource = getParent().getResource(path);
        if (resource == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = resource.openStream()) {
            bytes = in.readAllBytes();
        }
        catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        ProtectionDomain domain = domains.computeIfAbsent(codeSourceLocation(resource, path),
                location -> new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null));
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** The jar (or directory) a class resource comes from, as code that inspects its CodeSource expects. */
    private static URL codeSourceLocation(URL resource, String path)
    {
        String text = resource.toString();
        try {
            if (text.startsWith("jar:") && text.contains("!/")) {
                return URI.create(text.substring(4, text.indexOf("!/"))).toURL();
            }
            if (text.endsWith(path)) {
                return URI.create(text.substring(0, text.length() - path.length())).toURL();
            }
        }
        catch (IOException | IllegalArgumentException e) {
            // keep the resource itself
        }
        return resource;
    }

    private void readBundledJars(ClassLoader parent)
    {
        for (String jar : BUNDLED_JARS) {
            String resource = BUNDLED_DIRECTORY + jar + ".jar";
            InputStream stream = parent.getResourceAsStream(resource);
            if (stream == null) {
                throw new IllegalStateException("Missing " + resource + " in the glaux-catalog jar: the embedded metastore needs it (see catalog/pom.xml)");
            }
            try (JarInputStream in = new JarInputStream(stream)) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    if (entry.isDirectory()) {
                        continue;
                    }
                    buffer.reset();
                    in.transferTo(buffer);
                    (entry.getName().endsWith(".class") ? bundledClasses : bundledResources).put(entry.getName(), buffer.toByteArray());
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
    }
}
