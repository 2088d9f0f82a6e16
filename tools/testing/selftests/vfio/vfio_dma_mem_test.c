// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type1 DMA mappings of memory other than small anonymous pages, checked
 * with the edu's DMA engine going through the IOMMU:
 * - 2 MiB hugetlb pages and transparent huge pages: DMA across the 2 MiB
 *   boundary, an unmap inside a huge page (v2 refuses to split a mapping;
 *   v1 unmaps nothing, or all of it from its first page), one huge page
 *   mapped as three mappings whose middle one goes away;
 * - the same with vfio_iommu_type1's disable_hugepages set (each page
 *   pinned and mapped on its own, as 6.1 does), put back afterwards;
 * - peer to peer: EDU1's BAR0, mmap'd through its device fd (a VM_PFNMAP
 *   vma), mapped at an IOVA of EDU0's container, which EDU0's DMA engine
 *   then writes: the write reaches EDU1's registers.  Nothing is pinned or
 *   accounted for such a mapping.
 * Each test runs with TYPE1 and TYPE1v2, and TYPE1v2 with
 * disable_hugepages.  Where no huge page can be had, the test skips.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define HUGE_SIZE	(2 * HPAGE)
#define BUF_SIZE	(2 * PAGE)
#define IOVA_SRC	0x100000ULL
#define IOVA_HUGE	0x4000000ULL	/* 2 MiB aligned */
#define IOVA_P2P	0x8000000ULL
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

#define TYPE1_PARAMS	"/sys/module/vfio_iommu_type1/parameters/"
#define NO_HUGEPAGES	TYPE1_PARAMS "disable_hugepages"
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

static const char *edu0, *edu1;

/* A kB field of /proc/self/status, or -1. */
static long status_kb(const char *field)
{
	char line[128];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

/* AnonHugePages of the vma that starts at @p in /proc/self/smaps, kB. */
static long anon_huge_kb(void *p)
{
	char line[256], start[32];
	bool in = false;
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(start, sizeof(start), "%lx-", (unsigned long)p);
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, start, strlen(start));
		else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/*
 * Everything a test changes is the fixture's, for the teardown: EDU0 with
 * its container (d), EDU1 with its own (d1), the buffers, and the
 * settings of the system it changed (empty when unchanged).
 */
FIXTURE(mem)
{
	struct vfio_dev d;
	struct vfio_dev d1;
	uint8_t *src;		/* BUF_SIZE, at IOVA_SRC */
	uint8_t *huge;		/* HUGE_SIZE, 2 MiB aligned */
	void *area;		/* the mapping huge is in */
	size_t area_size;
	char nr_hugepages[32];
	char no_hugepages[8];
	char thp[16];
};

FIXTURE_VARIANT(mem)
{
	unsigned long type;
	bool no_hugepages;
};

FIXTURE_VARIANT_ADD(mem, type1)
{
	.type = VFIO_TYPE1_IOMMU,
};

FIXTURE_VARIANT_ADD(mem, type1v2)
{
	.type = VFIO_TYPE1v2_IOMMU,
};

FIXTURE_VARIANT_ADD(mem, type1v2_no_hugepages)
{
	.type = VFIO_TYPE1v2_IOMMU,
	.no_hugepages = true,
};

static void mem_release(FIXTURE_DATA(mem) * self)
{
	vfio_dev_close(&self->d1);
	vfio_dev_close(&self->d);
	vfio_free(self->src, BUF_SIZE);
	vfio_free(self->area, self->area_size);
	self->src = NULL;
	self->area = NULL;
	/* the pages are free now: the pool shrinks back */
	if (self->nr_hugepages[0])
		vfio_write_file(NR_HUGEPAGES, self->nr_hugepages);
	if (self->no_hugepages[0])
		vfio_write_file(NO_HUGEPAGES, self->no_hugepages);
	if (self->thp[0])
		vfio_write_file(THP_ENABLED, self->thp);
	self->nr_hugepages[0] = '\0';
	self->no_hugepages[0] = '\0';
	self->thp[0] = '\0';
}

/* With disable_hugepages: set before the container exists, put back. */
static int mem_set_no_hugepages(FIXTURE_DATA(mem) * self)
{
	char old[8];
	int ret = vfio_read_line(NO_HUGEPAGES, old, sizeof(old));

	if (ret)
		return ret;
	ret = vfio_write_file(NO_HUGEPAGES, "Y");
	if (!ret)
		strcpy(self->no_hugepages, old);
	return ret;
}

FIXTURE_SETUP(mem)
{
	int ret = -ENOMEM;

	memset(self, 0, sizeof(*self));
	vfio_dev_init(&self->d, edu0);
	vfio_dev_init(&self->d1, edu1);
	ret = variant->no_hugepages ? mem_set_no_hugepages(self) : 0;
	self->src = vfio_alloc(BUF_SIZE);
	if (!ret && !self->src)
		ret = -ENOMEM;
	if (!ret)
		ret = edu_open(&self->d, edu0);
	if (!ret && variant->type != VFIO_TYPE1v2_IOMMU) {
		/* edu_open() is TYPE1v2's */
		vfio_dev_close(&self->d);
		ret = vfio_dev_open(&self->d, edu0, variant->type);
		if (!ret)
			ret = edu_map_bar0(&self->d);
		if (!ret)
			ret = edu_enable(&self->d);
	}
	if (!ret)
		ret = vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				   BUF_SIZE, RW);
	if (ret)
		mem_release(self);
	ASSERT_EQ(0, ret) TH_LOG("buffers, %s, its BAR0, a mapping", edu0);
}

FIXTURE_TEARDOWN(mem)
{
	mem_release(self);
}

/* src -> edu -> IOVA, len bytes: 0 or -errno */
static int dma_to(FIXTURE_DATA(mem) * self, uint64_t iova, uint32_t len)
{
	int ret = edu_dma(&self->d, IOVA_SRC, 0, len, false);

	return ret ? ret : edu_dma(&self->d, iova, 0, len, true);
}

/*
 * The huge buffer, two huge pages at IOVA_HUGE: DMA across the 2 MiB
 * boundary both ways, an unmap inside a huge page, then the first huge
 * page as three mappings whose middle one is unmapped.
 */
static void huge_dma(struct __test_metadata *_metadata,
		     FIXTURE_DATA(mem) * self, unsigned long type)
{
	const uint64_t mid = IOVA_HUGE + HPAGE / 2;
	int c = self->d.container;
	uint8_t *h = self->huge;
	uint64_t unmapped = 1;

	memset(h, 0, HUGE_SIZE);
	ASSERT_EQ(0, vfio_map_dma(c, h, IOVA_HUGE, HUGE_SIZE, RW));
	/* device -> RAM across the boundary, 2000 bytes on each side */
	vfio_fill(self->src, BUF_SIZE, 51);
	ASSERT_EQ(0, dma_to(self, IOVA_HUGE + HPAGE - 2000, 4000));
	EXPECT_EQ(0, memcmp(self->src, h + HPAGE - 2000, 4000));
	EXPECT_EQ(HPAGE - 2000, vfio_first_not(h, HPAGE - 2000, 0));
	EXPECT_EQ(HPAGE - 2000, vfio_first_not(h + HPAGE + 2000, HPAGE - 2000, 0));
	/* RAM -> device across it, back into src */
	vfio_fill(h + HPAGE - 3000, 4000, 52);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_HUGE + HPAGE - 3000, 0, 4000,
			     false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, 4000, true));
	EXPECT_EQ(0, memcmp(self->src, h + HPAGE - 3000, 4000));

	/* inside a huge page: v2 refuses, v1 unmaps nothing */
	if (type == VFIO_TYPE1v2_IOMMU) {
		EXPECT_EQ(-EINVAL, vfio_unmap_dma(c, mid, PAGE, 0, NULL));
		EXPECT_EQ(-EINVAL, vfio_unmap_dma(c, IOVA_HUGE, PAGE, 0,
						  NULL));
	} else {
		EXPECT_EQ(0, vfio_unmap_dma(c, mid, PAGE, 0, &unmapped));
		EXPECT_EQ(0U, unmapped);
	}
	/* all of it still there */
	ASSERT_EQ(0, dma_to(self, mid, 1000));
	EXPECT_EQ(0, memcmp(self->src, h + HPAGE / 2, 1000));
	/* v1: a range over the first page takes the whole mapping */
	ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_HUGE,
				    type == VFIO_TYPE1v2_IOMMU ? HUGE_SIZE :
				    PAGE, 0, &unmapped));
	EXPECT_EQ(HUGE_SIZE, unmapped);

	/* one huge page, three mappings: the middle one goes */
	ASSERT_EQ(0, vfio_map_dma(c, h, IOVA_HUGE, HPAGE / 2, RW));
	ASSERT_EQ(0, vfio_map_dma(c, h + HPAGE / 2, mid, PAGE, RW));
	ASSERT_EQ(0, vfio_map_dma(c, h + HPAGE / 2 + PAGE, mid + PAGE,
				  HPAGE / 2 - PAGE, RW));
	ASSERT_EQ(0, vfio_unmap_dma(c, mid, PAGE, 0, &unmapped));
	EXPECT_EQ(PAGE, unmapped);
	memset(h, 0, HUGE_SIZE);
	vfio_fill(self->src, BUF_SIZE, 53);
	ASSERT_EQ(0, dma_to(self, mid - 1000, 1000));
	ASSERT_EQ(0, dma_to(self, mid + PAGE, 1000));
	/* an IOMMU fault: nothing lands */
	ASSERT_EQ(0, dma_to(self, mid, 1000));
	EXPECT_EQ(0, memcmp(self->src, h + HPAGE / 2 - 1000, 1000));
	EXPECT_EQ(0, memcmp(self->src, h + HPAGE / 2 + PAGE, 1000));
	EXPECT_EQ(PAGE, vfio_first_not(h + HPAGE / 2, PAGE, 0));
	ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_HUGE, HPAGE, 0, &unmapped));
	EXPECT_EQ(HPAGE - PAGE, unmapped);
}

/* Reserves @n more 2 MiB hugetlb pages than are free: 0 or -errno. */
static int reserve_hugepages(FIXTURE_DATA(mem) * self, long n)
{
	char buf[32];
	long nr;
	int ret;

	ret = vfio_read_line(NR_HUGEPAGES, self->nr_hugepages,
			     sizeof(self->nr_hugepages));
	if (ret) {
		self->nr_hugepages[0] = '\0';
		return ret;
	}
	nr = atol(self->nr_hugepages);
	snprintf(buf, sizeof(buf), "%ld", nr + n);
	return vfio_write_file(NR_HUGEPAGES, buf);
}

TEST_F(mem, hugetlb)
{
	void *p;

	ASSERT_EQ(0, reserve_hugepages(self, HUGE_SIZE / HPAGE));
	p = mmap(NULL, HUGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE,
		 -1, 0);
	if (p == MAP_FAILED)
		SKIP(return, "no 2 MiB hugetlb pages to be had (%s)",
		     strerror(errno));
	self->area = p;
	self->area_size = HUGE_SIZE;
	self->huge = p;
	huge_dma(_metadata, self, variant->type);
}

TEST_F(mem, thp)
{
	char mode[64];
	uint8_t *p;
	long kb;

	/* "never" would leave madvise() without effect */
	ASSERT_EQ(0, vfio_read_line(THP_ENABLED, mode, sizeof(mode)));
	if (strstr(mode, "[never]")) {
		ASSERT_EQ(0, vfio_write_file(THP_ENABLED, "madvise"));
		strcpy(self->thp, "never");
	}
	self->area_size = HUGE_SIZE + HPAGE;
	p = mmap(NULL, self->area_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	self->area = p;
	self->huge = (uint8_t *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	/* its own vma, to read its AnonHugePages */
	ASSERT_EQ(0, madvise(self->huge, HUGE_SIZE, MADV_HUGEPAGE));
	memset(self->huge, 1, HUGE_SIZE);
	kb = anon_huge_kb(self->huge);
	if (kb < (long)(HUGE_SIZE >> 10))
		SKIP(return, "no THP to be had (AnonHugePages %ld kB)", kb);
	huge_dma(_metadata, self, variant->type);
	/* pinning did not split them */
	EXPECT_EQ((long)(HUGE_SIZE >> 10), anon_huge_kb(self->huge));
}

/* 6.1's parameter, which ours have too: off unless a variant sets it. */
TEST_F(mem, disable_hugepages_param)
{
	struct stat st;
	char val[8];

	ASSERT_EQ(0, stat(NO_HUGEPAGES, &st));
	EXPECT_EQ(0644U, st.st_mode & 0777);
	ASSERT_EQ(0, vfio_read_line(NO_HUGEPAGES, val, sizeof(val)));
	EXPECT_STREQ(variant->no_hugepages ? "Y" : "N", val);
}

/*
 * EDU1's BAR0 mapped for EDU0's DMA: a write of EDU0's engine at the
 * liveness register's IOVA reaches EDU1 (QEMU 7.2 routes a device's DMA
 * to another device's BAR), which then reads back its inverse.  Not
 * pinned, nothing accounted.
 */
TEST_F(mem, p2p)
{
	const uint32_t val = 0x12345678;
	struct vfio_dev *d1 = &self->d1;
	uint64_t unmapped = 0;
	long lck;

	ASSERT_NE(NULL, edu1);
	ASSERT_EQ(0, vfio_dev_open(d1, edu1, variant->type));
	ASSERT_EQ(0, edu_map_bar0(d1));
	ASSERT_EQ(0, edu_enable(d1));
	ASSERT_EQ(EDU_ID_VALUE, edu_read32(d1, EDU_REG_ID));

	/* src's pages, mapped by the setup, are accounted there */
	lck = status_kb("VmLck");
	ASSERT_LE((long)(BUF_SIZE >> 10), lck);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, d1->bar0_map, IOVA_P2P,
				  d1->bar0.size, RW));
	EXPECT_EQ(lck, status_kb("VmLck"));

	memcpy(self->src, &val, sizeof(val));
	ASSERT_EQ(0, dma_to(self, IOVA_P2P + EDU_REG_LIVENESS, sizeof(val)));
	EXPECT_EQ(~val, edu_read32(d1, EDU_REG_LIVENESS));

	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_P2P,
				    d1->bar0.size, 0, &unmapped));
	EXPECT_EQ(d1->bar0.size, unmapped);
	EXPECT_EQ(lck, status_kb("VmLck"));
	/* gone: EDU0's write no longer reaches EDU1 */
	memset(self->src, 0x5a, sizeof(val));
	ASSERT_EQ(0, dma_to(self, IOVA_P2P + EDU_REG_LIVENESS, sizeof(val)));
	EXPECT_EQ(~val, edu_read32(d1, EDU_REG_LIVENESS));
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	edu1 = vfio_test_env("VFIO_EDU1");
	if (!edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
