// std::fs in a preopened directory (args[1]): write, append, seek, read back, metadata,
// read_dir (sorted), rename, remove, and the error kinds for missing or existing files.
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).expect("usage: rs_files DIR");
    let dir = Path::new(&dir);
    let file = dir.join("notes.txt");
    {
        let mut f = File::create(&file)?;
        for i in 0..50 {
            writeln!(f, "note {:02} {}", i, "x".repeat(i % 7))?;
        }
    }
    let meta = fs::metadata(&file)?;
    println!("created: {} bytes, is_file {}, is_dir {}", meta.len(), meta.is_file(), meta.is_dir());
    let mut f = OpenOptions::new().read(true).write(true).open(&file)?;
    f.seek(SeekFrom::Start(5))?;
    f.write_all(b"##")?;
    let end = f.seek(SeekFrom::End(-20))?;
    let mut tail = String::new();
    f.read_to_string(&mut tail)?;
    println!("tail from {}: {:?}", end, tail);
    f.set_len(30)?;
    drop(f);
    let mut f = OpenOptions::new().append(true).open(&file)?;
    f.write_all(b"|appended")?;
    drop(f);
    println!("contents: {:?}", fs::read_to_string(&file)?);

    fs::create_dir_all(dir.join("a/b/c"))?;
    for name in ["a/one", "a/b/two", "a/b/c/three"] {
        fs::write(dir.join(name), name.as_bytes())?;
    }
    let mut names: Vec<String> = fs::read_dir(dir.join("a/b"))?
        .map(|e| {
            let e = e.unwrap();
            format!("{}{}", e.file_name().to_string_lossy(), if e.file_type().unwrap().is_dir() { "/" } else { "" })
        })
        .collect();
    names.sort();
    println!("a/b holds {:?}", names);
    fs::rename(dir.join("a/b/two"), dir.join("two-moved"))?;
    println!("moved: {:?}", fs::read(dir.join("two-moved"))?);
    match fs::remove_dir(dir.join("a")) {
        Ok(()) => println!("removed a non-empty directory?!"),
        Err(e) => println!("remove_dir a: {:?}", e.kind() == ErrorKind::Other || e.raw_os_error().is_some()),
    }
    fs::remove_dir_all(dir.join("a"))?;
    println!("a exists after remove_dir_all: {}", dir.join("a").exists());
    match File::open(dir.join("nope")) {
        Ok(_) => println!("opened a missing file?!"),
        Err(e) => println!("open missing: {:?}", e.kind()),
    }
    match OpenOptions::new().write(true).create_new(true).open(&file) {
        Ok(_) => println!("create_new on an existing file?!"),
        Err(e) => println!("create_new existing: {:?}", e.kind()),
    }
    fs::remove_file(dir.join("two-moved"))?;
    let mut left: Vec<String> =
        fs::read_dir(dir)?.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    println!("left: {:?}", left);
    Ok(())
}
