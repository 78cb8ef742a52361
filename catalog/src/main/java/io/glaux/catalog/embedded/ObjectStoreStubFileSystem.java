package io.glaux.catalog.embedded;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.net.URI;

/**
 * A metadata-only Hadoop {@link FileSystem} for {@code s3://}, {@code s3a://} and {@code s3n://}
 * inside the embedded metastore. The Hive metastore checks and creates table and partition
 * directories when it registers them; for object-store locations there is nothing to check (an
 * object-store "directory" is only a key prefix) and Glaux reads the data itself. So every path is a
 * writable, empty directory; {@code mkdirs} and {@code delete} succeed without doing anything; opening
 * or creating a file fails. The real object store is never contacted.
 */
public final class ObjectStoreStubFileSystem
        extends FileSystem
{
    private URI uri;
    private Path workingDirectory;

    @Override
    public void initialize(URI name, Configuration conf)
            throws IOException
    {
        super.initialize(name, conf);
        String authority = name.getAuthority() == null ? "" : name.getAuthority();
        this.uri = URI.create(name.getScheme() + "://" + authority);
        this.workingDirectory = new Path(uri.toString() + "/");
    }

    @Override
    public String getScheme()
    {
        return uri == null ? "s3" : uri.getScheme();
    }

    @Override
    public URI getUri()
    {
        return uri;
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize)
            throws IOException
    {
        throw new IOException("The embedded metastore does not read object-store data: " + path);
    }

    @Override
    public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize, short replication, long blockSize, Progressable progress)
            throws IOException
    {
        throw new IOException("The embedded metastore does not write object-store data: " + path);
    }

    @Override
    public FSDataOutputStream append(Path path, int bufferSize, Progressable progress)
            throws IOException
    {
        throw new IOException("The embedded metastore does not write object-store data: " + path);
    }

    @Override
    public boolean rename(Path source, Path target)
    {
        return true;
    }

    @Override
    public boolean delete(Path path, boolean recursive)
    {
        // never deletes anything: object-store data belongs to its owner, not to the metastore
        return true;
    }

    @Override
    public FileStatus[] listStatus(Path path)
    {
        return new FileStatus[0];
    }

    @Override
    public void setWorkingDirectory(Path directory)
    {
        this.workingDirectory = directory;
    }

    @Override
    public Path getWorkingDirectory()
    {
        return workingDirectory;
    }

    @Override
    public boolean mkdirs(Path path, FsPermission permission)
    {
        return true;
    }

    @Override
    public FileStatus getFileStatus(Path path)
    {
        String user = System.getProperty("user.name", "glaux");
        return new FileStatus(0, true, 1, 0, 0, 0, FsPermission.getDirDefault(), user, user, makeQualified(path));
    }
}
