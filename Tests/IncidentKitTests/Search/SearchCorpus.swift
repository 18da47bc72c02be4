import Foundation

@testable import IncidentKit

/// A realistic history to measure relevance on: forty incidents of a web shop, several stories
/// told more than once (the pool exhausted after two deploys, three expired certificates, two
/// rounds of CoreDNS trouble), and distractors sharing their words (a disk full on a Kafka
/// broker, a pool of HTTP clients exhausted, a rate limit at the image registry). Queries are
/// typed the way a responder types at 3 a.m.: short, abbreviated, misspelt.
enum SearchCorpus {
    struct Story {
        var number: Int
        var title: String
        var services: [String]
        var tags: [String] = []
        var rootCause: String?
        var resolution: String?
        var notes: [String]
    }

    static let stories: [Story] = [
        Story(
            number: 1, title: "Checkout returns 5xx after deploy 2.4",
            services: ["checkout", "postgres"],
            tags: ["db"],
            rootCause:
                "Postgres connection pool exhausted: deploy 2.4 "
                + "doubled the workers, each holding 20 connections",
            resolution: "Rolled back to 2.3 and lowered the pool size per worker",
            notes: [
                "5xx rate at 30% on checkout", "pg: remaining connection slots are reserved",
                "rolling back 2.4",
            ]),
        Story(
            number: 2, title: "Checkout errors again, pg connections maxed",
            services: ["checkout", "postgres"],
            tags: ["db"],
            rootCause: "Connection pool exhausted after deploy 2.7 raised the worker count again",
            resolution: "Put pgbouncer in front of checkout's database",
            notes: ["too many connections for role checkout", "same as the 2.4 incident?"]),
        Story(
            number: 3, title: "Payments failing: pgbouncer max_client_conn reached",
            services: ["payments", "pgbouncer"],
            tags: ["db", "black-friday"],
            rootCause:
                "Black Friday traffic filled pgbouncer's "
                + "client connection pool (max_client_conn 500)",
            notes: [
                "no more connections allowed (max_client_conn)", "raised max_client_conn to 2000",
            ]),
        Story(
            number: 4, title: "Search shows stale products", services: ["search", "postgres"],
            rootCause: "Postgres read replica lagged 40 minutes behind the primary during a vacuum",
            notes: ["replica lag 2400s", "reads pointed at the primary for now"]),
        Story(
            number: 5, title: "db-primary-01 disk full", services: ["postgres"],
            tags: ["db", "disk"],
            rootCause:
                "WAL archiving to S3 failed silently and pg_wal grew until the disk was full",
            notes: ["No space left on device", "removed old WAL after archive fixed"]),
        Story(
            number: 6, title: "Orders delayed, kafka consumer lag growing",
            services: ["orders", "kafka"],
            tags: ["queue"],
            rootCause: "Consumer group stuck on a poison message in partition 7",
            notes: ["lag at 2M messages on orders-events", "skipped offset 99812"]),
        Story(
            number: 7, title: "Kafka partitions offline", services: ["kafka"],
            tags: ["queue", "disk"],
            rootCause: "Broker 3 disk full: retention set to 30 days by mistake",
            notes: ["under-replicated partitions 120", "disk full on broker 3"]),
        Story(
            number: 8, title: "TLS certificate expired on api.example.com", services: ["api"],
            tags: ["tls"],
            rootCause:
                "cert-manager could not renew: the DNS-01 "
                + "challenge failed after the DNS provider change",
            resolution: "Renewed by hand and fixed the DNS provider credentials",
            notes: ["browsers show NET::ERR_CERT_DATE_INVALID", "cert expired at 00:00 UTC"]),
        Story(
            number: 9, title: "Service-to-service calls failing: mTLS cert expired",
            services: ["auth", "mesh"],
            tags: ["tls"],
            rootCause: "The mesh's intermediate certificate expired; rotation was never automated",
            notes: ["x509: certificate has expired or is not yet valid"]),
        Story(
            number: 10, title: "DNS resolution failures across the cluster",
            services: ["kubernetes", "coredns"],
            tags: ["k8s", "dns"],
            rootCause:
                "CoreDNS pods OOMKilled: memory limit 170Mi too low for the number of services",
            notes: ["dial tcp: lookup orders on 10.96.0.10:53: i/o timeout", "coredns OOMKilled"]),
        Story(
            number: 11, title: "CoreDNS crashlooping after node upgrade",
            services: ["kubernetes", "coredns"],
            tags: ["k8s", "dns"],
            rootCause:
                "The new node image blocked port 53 in "
                + "the host firewall; CoreDNS restarted in a loop",
            notes: ["CrashLoopBackOff on coredns", "dns lookups failing for new pods"]),
        Story(
            number: 12, title: "Users logged out, sessions lost", services: ["auth", "redis"],
            tags: ["cache"],
            rootCause: "Redis reached maxmemory and evicted session keys (allkeys-lru)",
            notes: ["evicted_keys jumping", "set maxmemory-policy volatile-lru"]),
        Story(
            number: 13, title: "Redis failover left two primaries", services: ["redis"],
            tags: ["cache"],
            rootCause: "Sentinel split brain during a network partition between zones",
            notes: ["two masters reported by sentinel", "writes lost on the old primary"]),
        Story(
            number: 14, title: "Checkout timeouts at payment step",
            services: ["checkout", "payments"],
            rootCause:
                "Stripe API latency spiked and our client had a 30 s timeout with no retry budget",
            notes: ["stripe p99 28s", "timeouts calling the payment provider"]),
        Story(
            number: 15, title: "Stripe webhooks rejected", services: ["payments"],
            rootCause: "Webhook signing secret rotated in Stripe but not in our config",
            notes: ["signature verification failed for webhook"]),
        Story(
            number: 16, title: "Search indexer restarting every 6 hours", services: ["search"],
            rootCause: "Memory leak in the indexer's batch cache: OOM kill every 6 hours",
            notes: ["OOMKilled search-indexer", "heap grows 400MB/h"]),
        Story(
            number: 17, title: "Elasticsearch cluster red", services: ["search", "elasticsearch"],
            rootCause:
                "Node loss left unassigned primary shards; replicas were 0 for the new index",
            notes: ["ES cluster status red", "unassigned shards 14"]),
        Story(
            number: 18, title: "Search p99 latency 4s", services: ["search", "elasticsearch"],
            rootCause: "Long GC pauses on Elasticsearch data nodes after heap set above 32GB",
            notes: ["old gen GC 6s pauses", "slow search"]),
        Story(
            number: 19, title: "Site shows old CSS after release", services: ["web", "cdn"],
            rootCause: "CDN cache key ignored the asset hash; stale assets served for 2 hours",
            notes: ["purged CDN"]),
        Story(
            number: 20, title: "Cart broken for everyone", services: ["web", "cart"],
            rootCause: "The new-cart feature flag was enabled for 100% instead of 1%",
            resolution: "Flag turned off; rollback of the flag change",
            notes: ["feature flag new-cart at 100%", "rolled back the flag"]),
        Story(
            number: 21, title: "Login failures", services: ["auth"],
            rootCause: "Our OAuth provider had an outage; no fallback login",
            notes: ["oauth callback 502 from provider", "status page of provider shows outage"]),
        Story(
            number: 22, title: "Customers getting 429 Too Many Requests", services: ["api"],
            rootCause:
                "Rate limiter config keyed on the load balancer IP, so all users shared one bucket",
            notes: ["429s for all clients", "rate limit bucket per X-Forwarded-For now"]),
        Story(
            number: 23, title: "Random JWT validation failures", services: ["auth"],
            rootCause:
                "NTP stopped on two nodes; clock drift made tokens look issued in the future",
            notes: ["token used before issued (iat)", "clock skew 90s on auth-2"]),
        Story(
            number: 24, title: "Uploads failing with 403", services: ["storage"],
            rootCause:
                "A Terraform change replaced the S3 bucket policy and dropped the upload role",
            notes: ["AccessDenied from S3 PutObject"]),
        Story(
            number: 25, title: "Customers charged twice", services: ["payments", "billing"],
            rootCause:
                "The billing cron ran on two nodes after the scheduler migration: double charges",
            notes: ["duplicate charges for 312 customers", "refunds issued"]),
        Story(
            number: 26, title: "API down: load balancer marks all targets unhealthy",
            services: ["api"],
            rootCause: "A security group change blocked the health check port",
            notes: ["health checks failing on all targets", "reverted security group sg-0a1"]),
        Story(
            number: 27, title: "Pods evicted on several nodes", services: ["kubernetes"],
            tags: ["k8s", "disk"],
            rootCause: "Node disk pressure from container logs never rotated",
            notes: ["The node was low on resource: ephemeral-storage", "DiskPressure true"]),
        Story(
            number: 28, title: "Deploys stuck in ImagePullBackOff", services: ["kubernetes"],
            tags: ["k8s"],
            rootCause: "Docker Hub rate limit for anonymous pulls hit by the new CI runners",
            notes: ["toomanyrequests: You have reached your pull rate limit"]),
        Story(
            number: 29, title: "RabbitMQ memory alarm, publishers blocked", services: ["rabbitmq"],
            tags: ["queue"],
            rootCause: "A consumer crashed and the backlog filled memory until the high watermark",
            notes: ["memory alarm set", "publishers blocked"]),
        Story(
            number: 30, title: "No emails sent since 09:00", services: ["notifications"],
            rootCause: "SES sending quota reached after a marketing campaign",
            notes: ["Daily message quota exceeded", "emails queued, not delivered"]),
        Story(
            number: 31, title: "Order search very slow", services: ["orders", "postgres"],
            rootCause: "A query on orders by customer had no index after the migration dropped it",
            notes: ["seq scan on orders 9s", "created index concurrently"]),
        Story(
            number: 32, title: "Checkout slow after ORM upgrade", services: ["checkout"],
            rootCause: "N+1 queries introduced by the ORM upgrade's lazy loading default",
            notes: ["300 queries per request"]),
        Story(
            number: 33, title: "Login endpoint flooded", services: ["auth"], tags: ["security"],
            rootCause: "A DDoS from a botnet on /login",
            resolution: "Added a WAF rate rule for /login",
            notes: ["200k req/s on /login", "WAF rule added"]),
        Story(
            number: 34, title: "Backups missing for two weeks", services: ["postgres"],
            tags: ["db"],
            rootCause:
                "The backup job failed silently after "
                + "the credentials rotation; no alert on failure",
            notes: ["last successful backup 14 days ago"]),
        Story(
            number: 35, title: "Daily report off by one day", services: ["reports"],
            rootCause: "Timezone bug after the DST change: reports used local midnight",
            notes: ["numbers shifted by one day"]),
        Story(
            number: 36, title: "API gateway down after config push", services: ["api", "gateway"],
            rootCause: "A typo in the gateway route config was pushed without validation",
            notes: ["gateway fails to start: unknown field rouets"]),
        Story(
            number: 37, title: "Checkout memory keeps growing", services: ["checkout"],
            rootCause: "Memory leak after the upgrade to Node 20 in a metrics library",
            notes: ["RSS grows until OOM", "pods OOMKilled every 3h"]),
        Story(
            number: 38, title: "Inventory calls failing from checkout",
            services: ["checkout", "inventory"],
            rootCause: "HTTP client connection pool to inventory exhausted by slow responses",
            notes: ["pool exhausted waiting for a connection to inventory"]),
        Story(
            number: 39, title: "Kafka consumers rebalancing in a loop",
            services: ["orders", "kafka"],
            tags: ["queue"],
            rootCause:
                "max.poll.interval too short after the deploy "
                + "made processing slower; consumer lag grew",
            notes: ["consumer group rebalancing every 30s", "lag on orders-events"]),
        Story(
            number: 40, title: "Payment gateway rejects our client certificate",
            services: ["payments"],
            tags: ["tls"],
            rootCause: "Our client certificate for the payment gateway expired",
            notes: ["handshake failure: certificate expired"]),
    ]

    /// Query, and the incidents a responder would want to see for it.
    static let queries: [(String, Set<Int>)] = [
        ("postgres connection pool exhausted", [1, 2, 3]),
        ("pg pool exhausted", [1, 2, 3]),
        ("postgress pool", [1, 2, 3]),
        ("too many connections", [1, 2, 3]),
        ("cert expired", [8, 9, 40]),
        ("certifcate expired", [8, 9, 40]),
        ("tls", [8, 9, 40]),
        ("kafka lag", [6, 39]),
        ("kafak consumer lag", [6, 39]),
        ("coredns oom", [10]),
        ("dns failing", [10, 11]),
        ("coredns restart loop after upgrade", [11]),
        ("redis evictions", [12]),
        ("sessions lost", [12]),
        ("stripe timeouts checkout", [14]),
        ("timeouts to payment provider", [14]),
        ("es cluster red", [17]),
        ("elasticsearch gc slow", [18]),
        ("429", [22]),
        ("double charged", [25]),
        ("jwt clock skew", [23]),
        ("disk full wal", [5]),
        ("pods evicted disk pressure", [27]),
        ("imagepullbackoff", [28]),
        ("rabbit memory alarm", [29]),
        ("emails not sent", [30]),
        ("slow query missing index", [31]),
        ("memory leak oom", [16, 37]),
        ("oauth login", [21]),
        ("feature flag rollback cart", [20]),
        ("health checks security group", [26]),
        ("backup failed", [34]),
        ("uploads 403 s3", [24]),
        ("gateway config typo", [36]),
        ("ddos login", [33]),
        ("replica lag stale", [4]),
        ("split brain", [13]),
        ("webhook signature", [15]),
        ("dst timezone report", [35]),
        ("n+1 queries", [32]),
    ]

    static func uid(_ number: Int) -> String {
        "c0000000-0000-4000-8000-\(String(format: "%012d", number))"
    }

    /// The stories as indexed documents, a day apart, all closed.
    static var documents: [SearchDocument] {
        stories.map { story in
            var texts: [SearchDocument.Text] = [
                .init(source: .title, label: "", text: story.title),
                .init(source: .service, label: "", text: story.services.joined(separator: " ")),
            ]
            if !story.tags.isEmpty {
                texts.append(
                    .init(source: .tag, label: "", text: story.tags.joined(separator: " ")))
            }
            if let rootCause = story.rootCause {
                texts.append(.init(source: .narrative, label: "rootCause", text: rootCause))
            }
            if let resolution = story.resolution {
                texts.append(.init(source: .narrative, label: "resolution", text: resolution))
            }
            texts += story.notes.map { .init(source: .timeline, label: "note", text: $0) }
            return SearchDocument(
                uid: uid(story.number), number: story.number, signature: 0, severity: "SEV2",
                phase: "closed",
                date: Date(timeIntervalSince1970: 1_767_225_600 + Double(story.number) * 86_400),
                title: story.title, services: story.services, tags: story.tags,
                rootCause: story.rootCause, resolution: story.resolution, texts: texts)
        }
    }

    static func index(_ documents: [SearchDocument] = documents) -> SearchIndex {
        SearchIndex(segments: [SearchSegment(bytes: SearchSegment.build(documents))!], dead: [[]])
    }
}
