package io.glaux.testing;

/** The shared test cluster, for test packages other than this one. */
public final class SharedClusterAccess
{
    private SharedClusterAccess() {}

    public static TestCluster cluster()
            throws Exception
    {
        return SharedCluster.get();
    }
}
