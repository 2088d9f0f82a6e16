// SPDX-License-Identifier: GPL-2.0-only
/*
 * No-IOMMU mode (vfio's enable_unsafe_noiommu_mode), as Linux 6.1 has it
 * with CONFIG_VFIO_NOIOMMU.  Debian's kernel is built without it, so on
 * Debian's modules only its absence is checked.
 *
 * With an IOMMU (VFIO_IOMMU intel or amd): the VFIO_NOIOMMU_IOMMU
 * extension follows the parameter, and devices that have an IOMMU group
 * keep their ordinary group whatever it says.
 *
 * Without one (tools/testing/vm/run --iommu none, ours only): every device
 * bound to vfio-pci got an IOMMU group of its own named "vfio-noiommu" and
 * /dev/vfio/noiommu-<N>, and the kernel is tainted (TAINT_USER); the group
 * needs CAP_SYS_RAWIO; its container offers the no-IOMMU backend alone,
 * which maps nothing; the device file works (config space, BAR0).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/wait.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define NOIOMMU_PARAM "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
#define TAINT_USER_BIT	64UL	/* bit 6: TAINT_USER */
#define E1000_VENDOR	0x8086

static const char *e1000, *edu0;

/* CHECK_EXTENSION of a fresh container */
static long container_has(unsigned long ext)
{
	int c = vfio_open_container();
	long ret;

	if (c < 0)
		return c;
	ret = vfio_ioctl(c, VFIO_CHECK_EXTENSION, (void *)ext);
	close(c);
	return ret;
}

/* /dev/vfio/noiommu-<group of bdf>: fd or -errno */
static int open_noiommu_group(const char *bdf)
{
	char path[64];
	int id = vfio_group_id(bdf);
	int fd;

	if (id < 0)
		return id;
	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* The extension follows the parameter; stock 6.1 (Debian) has neither. */
TEST(extension_follows_parameter)
{
	if (vfio_noiommu_vm())
		SKIP(return, "no IOMMU: the parameter is set for the VM");
	if (vfio_stock_modules()) {
		EXPECT_NE(0, access(NOIOMMU_PARAM, F_OK));
		EXPECT_EQ(0, container_has(VFIO_NOIOMMU_IOMMU));
		return;
	}
	ASSERT_EQ(0, vfio_write_file(NOIOMMU_PARAM, "1"));
	EXPECT_EQ(1, container_has(VFIO_NOIOMMU_IOMMU));
	EXPECT_EQ(1, container_has(VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_write_file(NOIOMMU_PARAM, "0"));
	EXPECT_EQ(0, container_has(VFIO_NOIOMMU_IOMMU));
}

/* With an IOMMU, the mode changes nothing for devices that have groups. */
TEST(iommu_groups_unchanged)
{
	struct vfio_dev d;

	if (vfio_noiommu_vm() || vfio_stock_modules())
		SKIP(return, "needs an IOMMU and our modules");
	ASSERT_NE(NULL, edu0);
	ASSERT_EQ(0, vfio_write_file(NOIOMMU_PARAM, "1"));
	vfio_dev_init(&d, edu0);
	EXPECT_EQ(-ENOENT, open_noiommu_group(edu0));
	EXPECT_EQ(0, vfio_dev_open(&d, edu0, VFIO_TYPE1v2_IOMMU));
	vfio_dev_close(&d);
	EXPECT_EQ(0, vfio_write_file(NOIOMMU_PARAM, "0"));
}

TEST(noiommu_group_and_taint)
{
	char path[96], name[32] = "";
	unsigned long tainted = 0;
	FILE *f;
	int id;

	if (!vfio_noiommu_vm())
		SKIP(return, "needs the VM without an IOMMU (--iommu none)");
	id = vfio_group_id(e1000);
	ASSERT_LE(0, id);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/name", id);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	EXPECT_NE(NULL, fgets(name, sizeof(name), f));
	fclose(f);
	EXPECT_STREQ("vfio-noiommu\n", name);

	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	EXPECT_NE(0, access(path, F_OK));
	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", id);
	EXPECT_EQ(0, access(path, F_OK));

	f = fopen("/proc/sys/kernel/tainted", "r");
	ASSERT_NE(NULL, f);
	EXPECT_EQ(1, fscanf(f, "%lu", &tainted));
	fclose(f);
	EXPECT_NE(0UL, tainted & TAINT_USER_BIT);
}

/* Without CAP_SYS_RAWIO, the group cannot be opened. */
TEST(needs_cap_sys_rawio)
{
	int status = -1;
	pid_t pid;

	if (!vfio_noiommu_vm())
		SKIP(return, "needs the VM without an IOMMU (--iommu none)");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (drop_cap(CAP_SYS_RAWIO))
			_exit(2);
		_exit(open_noiommu_group(e1000) == -EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Only the no-IOMMU backend serves it, and it maps nothing. */
static void check_container(struct __test_metadata *_metadata, int c)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ,
		.size = 4096,
	};

	EXPECT_EQ(0, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_NOIOMMU_IOMMU));
	EXPECT_EQ(-ENODEV, vfio_set_iommu(c, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_set_iommu(c, VFIO_NOIOMMU_IOMMU));
	EXPECT_EQ(1, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_NOIOMMU_IOMMU));
	EXPECT_EQ(-ENOTTY, vfio_ioctl(c, VFIO_IOMMU_MAP_DMA, &map));
}

/* The device file: PCI, its config space and BAR0 through the regions */
static void check_device(struct __test_metadata *_metadata, int device)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info cfg, bar0;
	uint16_t vendor = 0;
	uint32_t status = 0;

	ASSERT_EQ(0, vfio_ioctl(device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_NE(0U, info.flags & VFIO_DEVICE_FLAGS_PCI);
	ASSERT_EQ(0, vfio_region_info(device, VFIO_PCI_CONFIG_REGION_INDEX,
				      &cfg));
	EXPECT_EQ(0, vfio_region_read(device, &cfg, 0, &vendor, 2));
	EXPECT_EQ(E1000_VENDOR, vendor);
	/* e1000's STATUS register (0x8) reads through BAR0 */
	ASSERT_EQ(0, vfio_region_info(device, VFIO_PCI_BAR0_REGION_INDEX,
				      &bar0));
	EXPECT_EQ(0, vfio_region_read(device, &bar0, 8, &status, 4));
}

TEST(container_and_device)
{
	uint32_t flags = 0;
	int c, g, device;

	if (!vfio_noiommu_vm())
		SKIP(return, "needs the VM without an IOMMU (--iommu none)");
	c = vfio_open_container();
	ASSERT_LE(0, c);
	g = open_noiommu_group(e1000);
	ASSERT_LE(0, g);
	EXPECT_EQ(-EBUSY, open_noiommu_group(e1000));
	EXPECT_EQ(0, vfio_group_status(g, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
	ASSERT_EQ(0, vfio_group_set_container(g, c));
	check_container(_metadata, c);

	device = vfio_get_device_fd(g, e1000);
	ASSERT_LE(0, device);
	check_device(_metadata, device);
	close(device);
	EXPECT_EQ(0, vfio_group_unset_container(g));
	close(g);
	close(c);
}

int main(int argc, char **argv)
{
	e1000 = vfio_test_env("VFIO_E1000_0");
	edu0 = vfio_test_env("VFIO_EDU0");
	if (!e1000 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_E1000_0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
