//! `pufa deploy TARGET --nginx-conf`: an nginx `server` block that serves a
//! `dir` target with the same headers object storage gets (`headers.rs`):
//! UTF-8 on every text type, revalidated pages and feeds, year-long caching
//! of hashed assets, the `.gz` files pufa wrote (`gzip_static`), the
//! site's 404 page, and nothing hidden (dotfiles) but `.well-known/`.
//!
//! The block goes inside `http {}` (Debian's conf.d/ and sites-enabled/
//! are included there), after the `include mime.types;` every stock
//! nginx.conf has. tests/it/deploy_dir.rs runs it in a real nginx.

use std::fmt::Write;

use super::headers;
use crate::config::deploy::{DeployTarget, DirTarget};

/// The server block for `dir`, for the host of `base_url`, listening on
/// `listen` (`80`, `127.0.0.1:8080`).
pub fn server_block(
    target: &DeployTarget,
    dir: &DirTarget,
    base_url: &str,
    listen: &str,
) -> String {
    let host = base_url
        .split("://")
        .nth(1)
        .and_then(|r| r.split(['/', ':']).next())
        .unwrap_or("_");
    let page_cache = if target.html_max_age == 0 {
        "no-cache".to_string()
    } else {
        format!("public, max-age={}", target.html_max_age)
    };
    // nginx takes a relative root from its own prefix (/usr/share/nginx),
    // not from the site folder the path is relative to.
    let root = std::path::absolute(&dir.path).unwrap_or_else(|_| dir.path.clone());
    let root = root.display().to_string().replace('"', "\\\"");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Made by `pufa deploy {name} --nginx-conf`: serves what `pufa deploy {name}` puts in\n\
         # {root}. Put it in /etc/nginx/conf.d/pufa.conf (or sites-enabled/),\n\
         # then `nginx -t && systemctl reload nginx`. For HTTPS, add your\n\
         # certificate lines and `listen 443 ssl;`.",
        name = target.name
    );
    let _ = writeln!(s, "server {{");
    let _ = writeln!(s, "    listen {listen};");
    let _ = writeln!(s, "    server_name {host};");
    let _ = writeln!(s, "    root \"{root}\";");
    let _ = writeln!(s, "    index index.html;");
    let _ = writeln!(s, "    server_tokens off;");
    s.push_str(
        "    # A folder's address without its final / redirects to /path/ on the
    # scheme and host the reader used, also behind a proxy or a CDN.
    absolute_redirect off;
    error_page 404 /404.html;

    # Without a charset, some browsers show Chinese text as mojibake.
    # (text/html always has it.)
    charset utf-8;
    charset_types text/css text/plain text/xml text/calendar
                  application/xml application/json application/javascript
                  text/javascript application/rss+xml application/atom+xml
                  application/manifest+json image/svg+xml;

",
    );
    if target.gzip {
        s.push_str(
            "    # The .gz files `pufa deploy` wrote beside each text file.
    gzip_static on;
",
        );
    }
    s.push_str(
        "    gzip on;
    gzip_vary on;
    gzip_types text/css text/plain text/xml text/calendar application/xml
               application/json application/javascript text/javascript
               application/rss+xml application/atom+xml
               application/manifest+json image/svg+xml;

    # nginx sends a location's add_header lines and none from outside it:
    # a header of your own for every file (HSTS) goes in each location.

    # Hidden files are never served (.well-known/ is: certificates need it).
    location ~ /\\.(?!well-known/) {
        return 404;
    }
",
    );
    let _ = writeln!(
        s,
        "    # Pages, feeds, sitemap, search index: asked again every time, so a
    # scheduled article shows the moment it is deployed. (Also the 404 page.)
    location ~* \\.(?:html?|xml|rss|atom|json|txt|ics|webmanifest)$ {{
        # As on object storage; mime.types lacks .ics and .webmanifest.
        types {{
            text/html html htm;
            application/xml xml;
            application/rss+xml rss;
            application/atom+xml atom;
            application/json json;
            text/plain txt;
            text/calendar ics;
            application/manifest+json webmanifest;
        }}
        add_header Cache-Control \"{page_cache}\" always;
    }}"
    );
    let _ = writeln!(
        s,
        "    # Named by the hash of their bytes: a new version is a new name.\n    location ~* \"\\.[0-9a-f]{{8,}}\\.[a-z0-9]+$\" {{\n        add_header Cache-Control \"{}\" always;\n    }}",
        headers::IMMUTABLE
    );
    let _ = writeln!(
        s,
        "    location / {{\n        try_files $uri $uri/ =404;\n        add_header Cache-Control \"{}\" always;\n    }}",
        headers::FILES
    );
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::deploy::TargetKind;

    #[test]
    fn the_block_names_host_root_and_headers() {
        let dir = DirTarget {
            path: "/var/www/pufa".into(),
        };
        let t = DeployTarget {
            name: "www".into(),
            kind: TargetKind::Dir(dir.clone()),
            html_max_age: 0,
            gzip: true,
        };
        let s = server_block(&t, &dir, "https://pufa.example.cn/", "80");
        assert!(s.contains("server_name pufa.example.cn;"));
        assert!(s.contains("root \"/var/www/pufa\";"));
        assert!(s.contains("gzip_static on;"));
        assert!(s.contains("Cache-Control \"no-cache\""));
        assert!(s.contains(headers::IMMUTABLE));
        assert_eq!(s.matches('{').count(), s.matches('}').count(), "{s}");
        // Pages first, as in headers.rs: a hashed page still revalidates.
        assert!(s.find("Cache-Control \"no-cache\"") < s.find(headers::IMMUTABLE));
        // A types block in the server would replace http's mime.types.
        assert!(!s.contains("include mime.types"), "{s}");
    }

    #[test]
    fn a_relative_root_is_made_absolute() {
        // nginx would take it from its own prefix, not the site folder.
        let dir = DirTarget {
            path: "./../www".into(),
        };
        let t = DeployTarget {
            name: "www".into(),
            kind: TargetKind::Dir(dir.clone()),
            html_max_age: 60,
            gzip: false,
        };
        let s = server_block(&t, &dir, "https://pufa.example.cn/", "80");
        let root = std::env::current_dir().unwrap().join("../www");
        assert!(s.contains(&format!("root \"{}\";", root.display())), "{s}");
        assert!(s.contains("Cache-Control \"public, max-age=60\""));
        assert!(!s.contains("gzip_static"));
    }
}
